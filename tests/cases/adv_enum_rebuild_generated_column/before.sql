-- A stored generated column reads an enum column; a value is removed from the enum.
CREATE TYPE ticket_state AS ENUM ('open', 'stale', 'closed');
CREATE TABLE tickets (
    id integer PRIMARY KEY,
    state ticket_state NOT NULL DEFAULT 'open',
    is_open boolean GENERATED ALWAYS AS (state = 'open') STORED
);
INSERT INTO tickets (id, state) VALUES (1, 'open'), (2, 'closed');
