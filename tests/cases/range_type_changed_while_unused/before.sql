CREATE SCHEMA app;
CREATE TYPE app.score_span AS RANGE (subtype = integer);
CREATE TYPE app.used_span AS RANGE (subtype = integer);
CREATE TABLE app.games (id bigint PRIMARY KEY, scores app.used_span);
