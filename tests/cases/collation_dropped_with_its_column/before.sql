CREATE SCHEMA app;
CREATE COLLATION app.case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION app.german (provider = libc, locale = 'C');
CREATE TABLE app.users (
    id bigint PRIMARY KEY,
    email text COLLATE app.case_insensitive NOT NULL,
    name text COLLATE app.german
);
CREATE INDEX users_email_idx ON app.users (email);
CREATE TABLE app.notes (id bigint PRIMARY KEY, body text COLLATE app.german);
INSERT INTO app.users VALUES (1, 'Ann@example.com', 'Ann');
INSERT INTO app.notes VALUES (1, 'hello');
