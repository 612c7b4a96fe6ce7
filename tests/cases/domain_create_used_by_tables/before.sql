CREATE TABLE legacy (id integer PRIMARY KEY, note text);
INSERT INTO legacy VALUES (1, 'kept');
