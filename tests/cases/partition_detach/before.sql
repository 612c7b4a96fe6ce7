-- Partitions become tables of their own. Without a default partition the detach runs
-- CONCURRENTLY (outside a transaction); with one, PostgreSQL refuses that and it runs plainly.
CREATE TABLE apps (id bigint PRIMARY KEY);
INSERT INTO apps SELECT generate_series(1, 5);
CREATE TABLE logs (
    id bigint NOT NULL,
    logged_on date NOT NULL,
    app_id bigint NOT NULL REFERENCES apps,
    line text CHECK (line <> ''),
    PRIMARY KEY (id, logged_on)
) PARTITION BY RANGE (logged_on);
CREATE INDEX logs_app_id_idx ON logs (app_id);
CREATE TABLE logs_2023 PARTITION OF logs FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE logs_2024 PARTITION OF logs FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO logs SELECT g, date '2023-06-01' + g * 2, 1 + g % 5, 'line ' || g FROM generate_series(1, 200) g;

CREATE TABLE jobs (id bigint NOT NULL, state text NOT NULL, PRIMARY KEY (id, state)) PARTITION BY LIST (state);
CREATE TABLE jobs_done PARTITION OF jobs FOR VALUES IN ('done');
CREATE TABLE jobs_other PARTITION OF jobs DEFAULT;
INSERT INTO jobs SELECT g, CASE WHEN g % 3 = 0 THEN 'done' ELSE 'queued' END FROM generate_series(1, 60) g;
