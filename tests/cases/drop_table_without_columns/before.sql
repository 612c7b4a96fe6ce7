-- A table of no columns still holds rows: dropping it keeps them, and its way back puts the
-- same number of rows back (an INSERT with no column list).
CREATE TABLE markers ();
INSERT INTO markers SELECT FROM generate_series(1, 3);
CREATE TABLE kept (id integer PRIMARY KEY);
