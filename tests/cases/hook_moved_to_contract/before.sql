-- A data hook fills a new table whose column takes an enum that loses a value: the table can
-- only be created after the enum's rebuild, a contract step, so the hook (phase: backfill) runs
-- in contract, and the plan says so.
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'meh');
CREATE TABLE person (id bigint PRIMARY KEY, feeling mood);
INSERT INTO person VALUES (1, 'ok'), (2, 'happy');
