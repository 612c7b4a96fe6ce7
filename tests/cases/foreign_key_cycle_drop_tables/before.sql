-- accounts and their primary contact reference each other; both go away
CREATE TABLE accounts (
    id integer PRIMARY KEY,
    name text NOT NULL,
    primary_contact_id integer
);
CREATE TABLE contacts (
    id integer PRIMARY KEY,
    account_id integer NOT NULL REFERENCES accounts (id),
    email text NOT NULL
);
ALTER TABLE accounts ADD CONSTRAINT accounts_primary_contact_id_fkey
    FOREIGN KEY (primary_contact_id) REFERENCES contacts (id);
-- stays, but loses its foreign key to accounts
CREATE TABLE invoices (
    id integer PRIMARY KEY,
    account_id integer NOT NULL REFERENCES accounts (id),
    total numeric(12,2) NOT NULL
);

INSERT INTO accounts VALUES (1, 'acme', NULL), (2, 'globex', NULL);
INSERT INTO contacts VALUES (10, 1, 'ceo@acme.test'), (20, 2, 'cfo@globex.test');
UPDATE accounts SET primary_contact_id = id * 10;
INSERT INTO invoices VALUES (1, 1, 100.00), (2, 2, 250.50);
