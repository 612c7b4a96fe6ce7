-- Without --schema, schemaplan manages the whole database: a schema the desired state does not
-- have is dropped with what it holds (its table's rows kept in a backup), after the foreign key
-- from a kept table into it.
CREATE SCHEMA legacy;
CREATE TABLE legacy.codes (code text PRIMARY KEY);
CREATE FUNCTION legacy.double(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT x * 2 $$;
CREATE SEQUENCE legacy.counter;
CREATE TABLE items (id integer PRIMARY KEY, code text REFERENCES legacy.codes (code));
INSERT INTO legacy.codes VALUES ('a'), ('b');
INSERT INTO items VALUES (1, 'a');
