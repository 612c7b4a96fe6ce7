-- sessions lose their primary key; token becomes an optional column
CREATE TABLE sessions (
    token text PRIMARY KEY,
    user_id integer NOT NULL,
    expires_at timestamp with time zone NOT NULL
);
-- the key moves from legacy_id to uid; legacy_id becomes nullable
CREATE TABLE ledger_entries (
    legacy_id integer PRIMARY KEY,
    uid uuid NOT NULL,
    amount numeric(12,2) NOT NULL
);
INSERT INTO sessions VALUES ('abc', 1, '2030-01-01'), ('def', 2, '2030-01-02');
INSERT INTO ledger_entries VALUES
    (1, '00000000-0000-0000-0000-000000000001', 10.00),
    (2, '00000000-0000-0000-0000-000000000002', -5.00);
