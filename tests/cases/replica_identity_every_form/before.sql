-- REPLICA IDENTITY in every form: set to FULL, NOTHING and USING INDEX (a unique index, and a
-- primary key's), back to DEFAULT while the index it used is dropped, and on a new table.
CREATE TABLE events (id bigint PRIMARY KEY, body text);
CREATE TABLE audit (id bigint NOT NULL, at timestamptz NOT NULL);
CREATE UNIQUE INDEX audit_id_at ON audit (id, at);
CREATE TABLE feeds (id bigint NOT NULL, name text NOT NULL);
CREATE UNIQUE INDEX feeds_name ON feeds (name);
ALTER TABLE feeds REPLICA IDENTITY USING INDEX feeds_name;
CREATE TABLE logs (line text);
CREATE TABLE keyed (id bigint PRIMARY KEY);
