-- A guest list renamed into the generic event platform's attendees (see ../shared/seeds):
-- table, column, enum, index and constraint renames keep every row, key and sequence position.
CREATE TYPE rsvp_status AS ENUM ('pending', 'yes', 'no');
CREATE TABLE guests (
    id serial PRIMARY KEY,
    full_name text NOT NULL CHECK (full_name <> ''),
    status rsvp_status NOT NULL DEFAULT 'pending',
    seats smallint NOT NULL DEFAULT 1,
    date date CHECK (date > '2020-01-01'),
    CONSTRAINT seats_positive CHECK (seats > 0)
);
CREATE INDEX guests_full_name_idx ON guests (lower(full_name));
CREATE INDEX guest_status_lookup ON guests (status) WHERE status <> 'no';
CREATE TABLE invitations (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guest_id integer NOT NULL REFERENCES guests (id),
    sent_at timestamptz
);
INSERT INTO guests (full_name, status, seats, date) VALUES ('Ada', 'yes', 2, '2026-06-01'), ('Grace', 'no', 1, NULL), ('Linus', 'pending', 3, '2026-07-01');
INSERT INTO invitations (guest_id, sent_at) VALUES (1, '2026-01-01 10:00+00'), (2, NULL), (3, '2026-02-02 12:00+00');
