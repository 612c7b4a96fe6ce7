CREATE EXTENSION btree_gist;

CREATE TABLE environments (
    id integer PRIMARY KEY,
    project_id integer NOT NULL,
    is_default boolean NOT NULL DEFAULT false,
    archived boolean NOT NULL DEFAULT false,
    CONSTRAINT one_default EXCLUDE USING btree (project_id WITH =) WHERE (is_default)
);
CREATE TABLE bookings (
    id integer PRIMARY KEY,
    room integer NOT NULL,
    during tstzrange NOT NULL,
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room WITH =, during WITH &&)
);
CREATE TABLE shifts (
    id integer PRIMARY KEY,
    worker_id integer NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    CONSTRAINT shifts_no_overlap EXCLUDE USING gist (worker_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
);
INSERT INTO environments VALUES (1, 1, true, false), (2, 1, false, false), (3, 2, true, true);
INSERT INTO bookings VALUES (1, 1, '[2024-05-01 10:00+00,2024-05-01 11:00+00)'), (2, 2, '[2024-05-01 10:00+00,2024-05-01 11:00+00)');
INSERT INTO shifts VALUES (1, 7, '2024-05-01 08:00+00', '2024-05-01 16:00+00');
