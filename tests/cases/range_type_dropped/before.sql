CREATE SCHEMA app;
CREATE FUNCTION app.time_subtype_diff(x time, y time) RETURNS float8 LANGUAGE sql IMMUTABLE STRICT
  AS 'SELECT EXTRACT(EPOCH FROM (x - y))::float8';
CREATE TYPE app.timerange AS RANGE (subtype = time, subtype_diff = app.time_subtype_diff);
CREATE TYPE app.textrange AS RANGE (subtype = text, collation = "C");
CREATE TABLE app.bookings (id bigint PRIMARY KEY, during app.timerange, free app.timemultirange);
CREATE TABLE app.labels (id bigint PRIMARY KEY, span app.textrange);
INSERT INTO app.bookings VALUES (1, '[10:00,11:00)', '{[10:00,11:00)}');
INSERT INTO app.labels VALUES (1, '[a,m)');
