CREATE FUNCTION longest_step(s text, v text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE WHEN s IS NULL OR length(v) > length(s) THEN v ELSE s END $$;
CREATE AGGREGATE longest(text) (SFUNC = longest_step, STYPE = text);
CREATE TABLE words (id bigint PRIMARY KEY, w text NOT NULL);
INSERT INTO words VALUES (1, 'a'), (2, 'abc');
CREATE VIEW longest_word AS SELECT longest(w) AS w FROM words;
CREATE VIEW word_count AS SELECT count(*) AS n FROM words;
