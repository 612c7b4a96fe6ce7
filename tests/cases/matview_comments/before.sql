CREATE TABLE tickets (id bigint PRIMARY KEY, queue text NOT NULL, opened_at date NOT NULL);
INSERT INTO tickets VALUES (1, 'billing', '2024-06-01'), (2, 'billing', '2024-06-02'), (3, 'tech', '2024-06-02');
CREATE MATERIALIZED VIEW queue_sizes AS SELECT queue, count(*) AS open_tickets FROM tickets GROUP BY queue;
CREATE UNIQUE INDEX queue_sizes_queue_key ON queue_sizes (queue);
-- Changed.
COMMENT ON MATERIALIZED VIEW queue_sizes IS 'Open tickets per queue';
-- Removed.
COMMENT ON COLUMN queue_sizes.queue IS 'Queue name';
-- Unpopulated; gains comments.
CREATE MATERIALIZED VIEW "Daily Opened" AS SELECT opened_at AS "Day", count(*) AS n FROM tickets GROUP BY opened_at WITH NO DATA;
