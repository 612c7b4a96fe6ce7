CREATE TABLE events (
    id bigint PRIMARY KEY,
    kind text NOT NULL,
    happened_on date NOT NULL,
    weight integer NOT NULL DEFAULT 1
);
INSERT INTO events VALUES (1, 'click', '2024-03-01', 1), (2, 'view', '2024-03-01', 2), (3, 'click', '2024-03-02', 5);
CREATE MATERIALIZED VIEW daily_counts AS
    SELECT happened_on, kind, count(*) AS n FROM events GROUP BY happened_on, kind;
CREATE UNIQUE INDEX daily_counts_key ON daily_counts (happened_on, kind);
CREATE INDEX daily_counts_kind ON daily_counts (kind) WHERE n > 1;
COMMENT ON MATERIALIZED VIEW daily_counts IS 'Events per day and kind';
COMMENT ON COLUMN daily_counts.n IS 'How many';
-- Reads the materialized view: rebuilt around it.
CREATE VIEW busy_days AS SELECT happened_on, sum(n) AS total FROM daily_counts GROUP BY happened_on;
-- Reads the materialized view too, and is not populated: stays that way when rebuilt.
CREATE MATERIALIZED VIEW click_days AS SELECT happened_on, n FROM daily_counts WHERE kind = 'click' WITH NO DATA;
