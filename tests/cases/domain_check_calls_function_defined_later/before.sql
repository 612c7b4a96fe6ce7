-- A domain whose check calls a function of the desired state (and whose name sorts before the
-- function's): PostgreSQL checks the call when the domain is created, and a model read from
-- YAML knows the call only from the text, so the function is created first.
CREATE TABLE t (id integer);
