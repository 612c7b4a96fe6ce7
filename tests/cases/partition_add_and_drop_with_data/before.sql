-- Monthly partitions with rows and a default partition: the oldest month is dropped (its rows
-- kept by the backup), a new month is added (the default partition is scanned for its rows).
CREATE TABLE metrics (
    id bigint NOT NULL,
    taken_on date NOT NULL,
    value double precision,
    PRIMARY KEY (id, taken_on)
) PARTITION BY RANGE (taken_on);
CREATE INDEX metrics_value_idx ON metrics (value);
CREATE TABLE metrics_2024_01 PARTITION OF metrics FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
CREATE TABLE metrics_2024_02 PARTITION OF metrics FOR VALUES FROM ('2024-02-01') TO ('2024-03-01');
CREATE TABLE metrics_default PARTITION OF metrics DEFAULT;
INSERT INTO metrics SELECT g, date '2024-01-01' + (g % 50), g / 10.0 FROM generate_series(1, 300) g;
INSERT INTO metrics VALUES (1000, '2024-05-01', 1), (1001, '2024-06-15', 2);
