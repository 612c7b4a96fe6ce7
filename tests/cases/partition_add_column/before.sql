-- A column added to (and one dropped from) a partitioned table: PostgreSQL applies both to
-- every partition. The dropped column's values are kept through the parent.
CREATE TABLE tickets (
    id bigint NOT NULL,
    opened_on date NOT NULL,
    legacy_code text,
    PRIMARY KEY (id, opened_on)
) PARTITION BY RANGE (opened_on);
CREATE TABLE tickets_2024 PARTITION OF tickets FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE tickets_rest PARTITION OF tickets DEFAULT;
INSERT INTO tickets SELECT g, date '2024-06-01' + g * 5, 'L' || g FROM generate_series(1, 150) g;
