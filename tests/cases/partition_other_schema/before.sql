-- Partitions live in other schemas than their parent; one parent lives outside public.
CREATE SCHEMA archive;
CREATE TABLE events (
    id bigint NOT NULL,
    happened_on date NOT NULL,
    kind text NOT NULL,
    PRIMARY KEY (id, happened_on)
) PARTITION BY RANGE (happened_on);
CREATE INDEX events_kind_idx ON events (kind);
CREATE TABLE archive.events_2022 PARTITION OF events FOR VALUES FROM ('2022-01-01') TO ('2023-01-01');
CREATE TABLE events_2023 PARTITION OF events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
INSERT INTO events SELECT g, date '2022-01-01' + g * 3, 'k' || (g % 3) FROM generate_series(1, 200) g;
