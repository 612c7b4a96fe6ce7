CREATE DOMAIN percent AS numeric(5,2) CONSTRAINT percent_range CHECK (VALUE BETWEEN 0 AND 100);
COMMENT ON DOMAIN percent IS 'old domain comment';
CREATE TYPE rating AS (stars integer, note text);
COMMENT ON COLUMN rating.note IS 'free text';
CREATE TYPE unused_pair AS (a integer, b integer);
CREATE TABLE reviews (id integer PRIMARY KEY, score percent, rating rating);
INSERT INTO reviews VALUES (1, 99.5, ROW(5, 'great'));
