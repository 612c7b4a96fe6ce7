-- Identity added to existing columns: one nullable with a constant default, one nullable
-- without default. PostgreSQL refuses ADD IDENTITY on a nullable column or one with a default:
-- the default goes and NOT NULL is proved first, and the identity is added after, in the same
-- phase, its sequence continuing after the values already there.
CREATE TABLE tickets (
    a integer DEFAULT 77,
    b integer,
    label text
);
INSERT INTO tickets (a, b, label) VALUES (1, 10, 'x'), (2, 20, 'y');
