-- The simplest view over an enum column (no enum literal anywhere); a value is removed.
CREATE TYPE priority AS ENUM ('low', 'medium', 'high', 'urgent');
CREATE TABLE issues (
    id integer PRIMARY KEY,
    priority priority NOT NULL
);
CREATE VIEW issue_priorities AS SELECT id, priority FROM issues;
INSERT INTO issues VALUES (1, 'low'), (2, 'high');
