DO $$ BEGIN CREATE ROLE sec_rv_clerk; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE sec_rv_auditor; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE invoices (
    id integer PRIMARY KEY,
    total numeric NOT NULL
);
INSERT INTO invoices VALUES (1, 10), (2, 20);
GRANT SELECT, INSERT, UPDATE, DELETE ON invoices TO sec_rv_clerk WITH GRANT OPTION;
GRANT TRUNCATE, REFERENCES, TRIGGER ON invoices TO sec_rv_clerk;
GRANT SELECT ON invoices TO sec_rv_auditor;
