CREATE SCHEMA app;
CREATE TABLE app.bookings (id bigint PRIMARY KEY, room integer NOT NULL);
INSERT INTO app.bookings VALUES (1, 101), (2, 102);
