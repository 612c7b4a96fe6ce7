DO $$ BEGIN CREATE ROLE sec_own_a; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE sec_own_b; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE SCHEMA ledger AUTHORIZATION sec_own_a;
CREATE TABLE ledger.entries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    amount numeric NOT NULL
);
INSERT INTO ledger.entries (amount) VALUES (1), (2);
ALTER TABLE ledger.entries OWNER TO sec_own_a;
CREATE VIEW ledger.totals AS SELECT sum(amount) AS total FROM ledger.entries;
ALTER VIEW ledger.totals OWNER TO sec_own_a;
CREATE SEQUENCE ledger.batch_numbers;
ALTER SEQUENCE ledger.batch_numbers OWNER TO sec_own_a;
-- sec_own_b becomes the owner: this grant goes before (an owner's own privileges are implicit).
GRANT SELECT ON ledger.entries TO sec_own_b;
-- Stays with the old owner.
CREATE TABLE ledger.notes (id integer PRIMARY KEY);
ALTER TABLE ledger.notes OWNER TO sec_own_a;
