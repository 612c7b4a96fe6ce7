-- Comments on a partitioned table, its partitions and its partitioned index.
CREATE SCHEMA audit;
CREATE TABLE audit.entries (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE INDEX entries_at_idx ON audit.entries (at);
CREATE TABLE audit.entries_2024 PARTITION OF audit.entries FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE audit.entries_2025 PARTITION OF audit.entries FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
COMMENT ON TABLE audit.entries IS 'old';
COMMENT ON TABLE audit.entries_2025 IS 'to remove';
