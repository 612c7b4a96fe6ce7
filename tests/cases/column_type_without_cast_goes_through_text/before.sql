-- Types with no cast between them (integer → date, bigint → timestamp): the values go through
-- their text form, which is the only way PostgreSQL offers. NULLs (and an empty table) always
-- convert, both ways; a value whose text the other type does not read fails the step, and
-- nothing of it is applied.
CREATE TABLE bookings (
    id integer PRIMARY KEY,
    day integer,
    stamp bigint
);
INSERT INTO bookings VALUES (1, NULL, NULL), (2, NULL, NULL);
