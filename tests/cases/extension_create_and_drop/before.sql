-- pgcrypto stays (a default uses it); fuzzystrmatch was tried once and nothing uses it any more.
CREATE EXTENSION pgcrypto;
CREATE EXTENSION fuzzystrmatch;

CREATE TABLE accounts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL
);
CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email));
INSERT INTO accounts (email) VALUES ('Ada@Example.com'), ('bob@example.com');
