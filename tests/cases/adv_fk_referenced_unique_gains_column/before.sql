-- Rooms were unique per building; they become unique per (building, floor), keeping the
-- constraint name. The multi-column foreign key into them gains the column too.
CREATE TABLE rooms (
    id integer PRIMARY KEY,
    building text NOT NULL,
    floor integer NOT NULL DEFAULT 0,
    number text NOT NULL,
    CONSTRAINT rooms_location_key UNIQUE (building, number)
);
CREATE TABLE bookings (
    id integer PRIMARY KEY,
    building text NOT NULL,
    floor integer NOT NULL DEFAULT 0,
    room_number text NOT NULL,
    CONSTRAINT bookings_room_fkey FOREIGN KEY (building, room_number)
        REFERENCES rooms (building, number) ON UPDATE CASCADE
);
INSERT INTO rooms VALUES (1, 'A', 0, '101'), (2, 'B', 1, '101');
INSERT INTO bookings VALUES (1, 'A', 0, '101'), (2, 'B', 1, '101');
