CREATE EXTENSION btree_gist;

CREATE TABLE environments (
    id integer PRIMARY KEY,
    project_id integer NOT NULL,
    is_default boolean NOT NULL DEFAULT false,
    CONSTRAINT environments_project_id_excl EXCLUDE USING btree (project_id WITH =) WHERE (is_default)
);
CREATE TABLE bookings (
    id integer PRIMARY KEY,
    room_id integer NOT NULL,
    during tstzrange NOT NULL,
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&) DEFERRABLE
);
COMMENT ON CONSTRAINT bookings_no_overlap ON bookings IS 'rooms are not double-booked';
INSERT INTO environments VALUES (1, 1, true), (2, 1, false), (3, 2, true);
INSERT INTO bookings VALUES (1, 1, '[2024-05-01 10:00+00,2024-05-01 11:00+00)'), (2, 1, '[2024-05-01 11:00+00,2024-05-01 12:00+00)');
