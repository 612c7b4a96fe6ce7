CREATE DOMAIN phone AS text CONSTRAINT phone_digits CHECK (VALUE ~ '^[0-9+ ]+$');
CREATE DOMAIN mobile AS phone;
CREATE TYPE geo AS (lat double precision, lon double precision);
CREATE TYPE place AS (name text, at geo);
CREATE TABLE people (id integer PRIMARY KEY, phone phone, cell mobile);
CREATE TABLE visits (id integer PRIMARY KEY, place place);
CREATE VIEW people_phones AS SELECT id, phone FROM people;
INSERT INTO people VALUES (1, '+33 1 23', '06 12'), (2, NULL, NULL);
INSERT INTO visits VALUES (1, ROW('home', ROW(48.8, 2.3)));
