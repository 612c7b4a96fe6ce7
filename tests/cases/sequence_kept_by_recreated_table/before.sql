-- A table created anew (its partition key changes) keeps the sequence its column owns: the
-- sequence is released before the old table goes and owned again by the new one.
CREATE TABLE measurements (
    id serial NOT NULL,
    taken_on date NOT NULL,
    value numeric
) PARTITION BY RANGE (taken_on);
CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO measurements (taken_on, value) VALUES ('2024-03-01', 1), ('2024-04-01', 2);
