-- An index added to a partitioned table that holds rows, one partition being itself
-- partitioned: ON ONLY the parent (and the sub-partitioned partition), each leaf's index built
-- concurrently and attached. A partition-only index is added and another dropped.
CREATE TABLE readings (
    id bigint NOT NULL,
    taken_on date NOT NULL,
    sensor text NOT NULL,
    value numeric
) PARTITION BY RANGE (taken_on);
CREATE TABLE readings_2023 PARTITION OF readings FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE readings_2024 PARTITION OF readings FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')
    PARTITION BY LIST (sensor);
CREATE TABLE readings_2024_a PARTITION OF readings_2024 FOR VALUES IN ('a');
CREATE TABLE readings_2024_b PARTITION OF readings_2024 FOR VALUES IN ('b');
CREATE INDEX readings_2023_value_idx ON readings_2023 (value);
INSERT INTO readings SELECT g, date '2023-01-01' + g, CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END, g
FROM generate_series(1, 600) g;
