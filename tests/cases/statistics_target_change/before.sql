-- Statistics targets: changed in place (ALTER STATISTICS … SET STATISTICS), reset to the
-- default, and kept across a type change of a column the statistics read (PostgreSQL rebuilds
-- statistics over a retyped column and forgets their target: they are dropped before and
-- created again after).
CREATE TABLE events (
    id integer PRIMARY KEY,
    kind text NOT NULL,
    source text,
    amount integer,
    created_at timestamp
);
CREATE STATISTICS events_kind_source ON kind, source FROM events;
ALTER STATISTICS events_kind_source SET STATISTICS 500;
COMMENT ON STATISTICS events_kind_source IS 'kinds per source';
CREATE STATISTICS events_amount (dependencies) ON kind, amount FROM events;
ALTER STATISTICS events_amount SET STATISTICS 200;
CREATE STATISTICS events_day ON kind, (date_trunc('day', created_at)) FROM events;
ALTER STATISTICS events_day SET STATISTICS 300;
INSERT INTO events VALUES (1, 'click', 'web', 3, '2024-01-01 10:00'), (2, 'view', NULL, NULL, NULL);
