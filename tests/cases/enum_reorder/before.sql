-- The values were added over time in the wrong order; comparisons and ORDER BY use it.
CREATE TYPE severity AS ENUM ('high', 'low', 'critical', 'medium');
CREATE TABLE incidents (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    summary text NOT NULL,
    severity severity NOT NULL DEFAULT 'low',
    CONSTRAINT incidents_summary_check CHECK (summary <> '')
);
CREATE INDEX incidents_severity_idx ON incidents (severity DESC);
CREATE VIEW urgent_incidents AS
    SELECT id, summary, severity FROM incidents WHERE severity IN ('high', 'critical');
INSERT INTO incidents (summary, severity) VALUES
    ('Disk full', 'critical'), ('Typo', 'low'), ('Slow page', 'medium'), ('Login broken', 'high');
