-- FORCE ROW LEVEL SECURITY set while row security is off: PostgreSQL keeps it (pg_dump prints
-- it), and it takes effect once row security is enabled. Both ways: set on a plain table, and
-- kept on a table whose row security is switched off.
CREATE TABLE notes (id integer PRIMARY KEY, body text);
CREATE TABLE secrets (id integer PRIMARY KEY, body text);
ALTER TABLE secrets ENABLE ROW LEVEL SECURITY;
ALTER TABLE secrets FORCE ROW LEVEL SECURITY;
