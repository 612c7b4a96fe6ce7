-- Extensions live in their own schema. citext is already there and used by a column, an
-- index and a view; pg_trgm moves from public into `extensions`, used by a trigram index.
CREATE SCHEMA extensions;
CREATE EXTENSION citext WITH SCHEMA extensions;
CREATE EXTENSION pg_trgm WITH SCHEMA public;
CREATE TABLE contacts (
    id integer PRIMARY KEY,
    email extensions.citext NOT NULL,
    name text NOT NULL
);
CREATE UNIQUE INDEX contacts_email_idx ON contacts (email);
CREATE INDEX contacts_name_trgm_idx ON contacts USING gin (name public.gin_trgm_ops);
CREATE VIEW contact_emails AS SELECT id, email FROM contacts;
INSERT INTO contacts VALUES (1, 'Ann@Example.com', 'Ann'), (2, 'bob@example.com', 'Bob');
