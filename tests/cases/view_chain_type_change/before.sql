CREATE TABLE measurements (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sensor varchar(20) NOT NULL,
    reading integer NOT NULL,
    taken_at timestamp without time zone NOT NULL DEFAULT now()
);
CREATE INDEX measurements_sensor_idx ON measurements (sensor, taken_at);
INSERT INTO measurements (sensor, reading, taken_at) VALUES
    ('boiler-1', 71, '2024-03-01 10:00'),
    ('boiler-1', 74, '2024-03-01 11:00'),
    ('attic', 18, '2024-03-01 10:00');

CREATE VIEW v1 AS SELECT id, sensor, reading, taken_at FROM measurements;
CREATE VIEW v2 AS SELECT sensor, reading * 2 AS doubled, taken_at FROM v1 WHERE reading > 0;
CREATE VIEW v3 AS SELECT sensor, max(doubled) AS peak FROM v2 GROUP BY sensor;
