-- A partition detached (kept as a table) while its parent gains a column: the column must be
-- added after the detach, or the detached table would keep it.
CREATE TABLE readings (
    sensor integer NOT NULL,
    taken date NOT NULL,
    value numeric
) PARTITION BY RANGE (taken);
CREATE TABLE readings_2024 PARTITION OF readings FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE readings_2025 PARTITION OF readings FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO readings VALUES (1, '2024-05-01', 1.5), (2, '2025-05-01', 2.5);
