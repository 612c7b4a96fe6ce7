-- A view's column gets an explicit collation (byte order for a sort key). Its name and type
-- stay, so CREATE OR REPLACE looks possible; PostgreSQL refuses a collation change there.
CREATE TABLE people (
    id integer PRIMARY KEY,
    name text NOT NULL
);
CREATE VIEW people_sorted AS SELECT id, name FROM people;
INSERT INTO people VALUES (1, 'émile'), (2, 'Zoe');
