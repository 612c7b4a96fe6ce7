-- A domain whose check calls a function of the desired state (and whose name sorts before the
-- function's): PostgreSQL checks the call when the domain is created, and a model read from
-- YAML knows the call only from the text, so the function is created first. The table using
-- the domain is new (adding a domain column with a check to an existing table rewrites it,
-- which the lock prediction does not know yet).
CREATE TABLE other (id integer);
