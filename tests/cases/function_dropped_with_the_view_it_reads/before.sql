-- A SQL function reading a view is dropped with the view. PostgreSQL records no dependency on
-- a body, but checks it when the function is created: the way back creates the view first,
-- so the function is dropped first.
CREATE TABLE people (name text);
CREATE VIEW people_names AS SELECT name FROM people;
CREATE FUNCTION count_names() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM people_names $$;
