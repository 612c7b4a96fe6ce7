-- Temporal keys (PostgreSQL 18): an existing table gains a temporal primary key (its GiST index
-- can be neither built concurrently nor attached USING INDEX, so it is added in place under
-- ACCESS EXCLUSIVE) and another a temporal foreign key to it (added NOT VALID, then validated);
-- two new tables are created with a temporal key, a temporal unique constraint and a temporal
-- foreign key between them.
CREATE EXTENSION btree_gist;

CREATE TABLE products (
    id integer NOT NULL,
    valid_at daterange NOT NULL,
    name text NOT NULL
);
CREATE TABLE prices (
    product_id integer NOT NULL,
    valid_at daterange NOT NULL,
    amount numeric NOT NULL
);
INSERT INTO products VALUES
    (1, '[2024-01-01,2024-07-01)', 'tea'),
    (1, '[2024-07-01,2025-01-01)', 'green tea'),
    (2, '[2024-01-01,)', 'coffee');
INSERT INTO prices VALUES
    (1, '[2024-01-01,2024-12-01)', 3.5),
    (2, '[2024-03-01,2025-03-01)', 4.0);
