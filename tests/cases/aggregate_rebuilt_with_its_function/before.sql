CREATE FUNCTION add_step(a bigint, b bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
CREATE AGGREGATE total(bigint) (SFUNC = add_step, STYPE = bigint, INITCOND = '0');
CREATE FUNCTION count_step(s integer, v text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT s + 1 $$;
CREATE AGGREGATE counted(text) (SFUNC = count_step, STYPE = integer, INITCOND = '0');
CREATE TABLE amounts (id bigint PRIMARY KEY, n bigint NOT NULL, label text NOT NULL);
INSERT INTO amounts VALUES (1, 10, 'x'), (2, 20, 'y');
CREATE VIEW summary AS SELECT total(n) AS t, counted(label) AS c FROM amounts;
