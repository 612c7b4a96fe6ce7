CREATE EXTENSION btree_gist;

CREATE TABLE bookings (
    id integer PRIMARY KEY,
    room_id integer NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    cancelled boolean NOT NULL DEFAULT false
);
CREATE VIEW current_bookings AS SELECT id, room_id FROM bookings WHERE NOT cancelled;
-- no two live bookings of a room overlap; a cancelled one may
INSERT INTO bookings VALUES
    (1, 1, '2024-05-01 10:00+00', '2024-05-01 11:00+00', false),
    (2, 1, '2024-05-01 11:00+00', '2024-05-01 12:00+00', false),
    (3, 1, '2024-05-01 10:30+00', '2024-05-01 11:30+00', true),
    (4, 2, '2024-05-01 10:00+00', '2024-05-01 12:00+00', false);
