-- A column's type changes under two views (one reads the other); at the same time the table,
-- column, view and view-column comments change or move.
CREATE TABLE events (
    id integer PRIMARY KEY,
    title varchar(50) NOT NULL,
    starts_at timestamp NOT NULL
);
COMMENT ON TABLE events IS 'Old table comment';
COMMENT ON COLUMN events.title IS 'Old title comment';
CREATE VIEW upcoming AS SELECT id, title, starts_at FROM events WHERE starts_at > '2000-01-01';
COMMENT ON VIEW upcoming IS 'Upcoming events';
COMMENT ON COLUMN upcoming.title IS 'Shown title';
CREATE VIEW upcoming_titles AS SELECT title FROM upcoming;
COMMENT ON VIEW upcoming_titles IS 'Titles only';
INSERT INTO events VALUES (1, 'Launch', '2030-01-01');
