DO $$ BEGIN CREATE ROLE sec_gu_alice; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE sec_gu_bob; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE accounts (
    id integer PRIMARY KEY,
    email text NOT NULL
);
INSERT INTO accounts VALUES (1, 'a@example.com');
GRANT SELECT ON accounts TO sec_gu_alice, sec_gu_bob;
-- bob is not listed in the desired state: his grants stay as they are.
GRANT UPDATE (email) ON accounts TO sec_gu_bob;
CREATE VIEW account_emails AS SELECT id, email FROM accounts;
GRANT SELECT ON account_emails TO sec_gu_alice, sec_gu_bob;
