CREATE TABLE readings (
    id bigint PRIMARY KEY,
    sensor text NOT NULL,
    value integer NOT NULL,
    taken_at timestamp NOT NULL
);
INSERT INTO readings VALUES (1, 'a', 10, '2024-05-01 10:00'), (2, 'a', 12, '2024-05-01 11:00'), (3, 'b', 7, '2024-05-02 09:00');
-- Reads readings.value, whose type changes: dropped before the ALTER, created after.
CREATE MATERIALIZED VIEW sensor_stats AS
    SELECT sensor, avg(value) AS mean, max(value) AS peak FROM readings GROUP BY sensor;
CREATE UNIQUE INDEX sensor_stats_sensor_key ON sensor_stats (sensor);
COMMENT ON MATERIALIZED VIEW sensor_stats IS 'Per sensor';
-- Reads the materialized view: goes and comes back with it.
CREATE VIEW hot_sensors AS SELECT sensor, peak FROM sensor_stats WHERE peak > 10;
-- Reads readings but not value: left alone.
CREATE MATERIALIZED VIEW sensors AS SELECT DISTINCT sensor FROM readings;
