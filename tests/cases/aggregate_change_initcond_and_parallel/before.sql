CREATE FUNCTION add_step(s bigint, v bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT s + v $$;
CREATE FUNCTION doubled(s bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT s * 2 $$;
CREATE AGGREGATE total(bigint) (SFUNC = add_step, STYPE = bigint, INITCOND = '0');
COMMENT ON AGGREGATE total(bigint) IS 'old';
CREATE TABLE amounts (id bigint PRIMARY KEY, n bigint NOT NULL);
INSERT INTO amounts VALUES (1, 10), (2, 20);
CREATE VIEW summary AS SELECT total(n) AS t FROM amounts;
