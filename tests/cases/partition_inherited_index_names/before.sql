CREATE TABLE events (id bigint NOT NULL, tenant int NOT NULL, kind text NOT NULL) PARTITION BY LIST (tenant);
CREATE TABLE events_1 PARTITION OF events FOR VALUES IN (1);
CREATE TABLE events_2 PARTITION OF events FOR VALUES IN (2);
CREATE INDEX events_kind_idx ON ONLY events (kind);
CREATE INDEX index_0a1b2c3d4e ON events_1 (kind);
CREATE INDEX events_2_kind_idx ON events_2 (kind);
ALTER INDEX events_kind_idx ATTACH PARTITION index_0a1b2c3d4e;
ALTER INDEX events_kind_idx ATTACH PARTITION events_2_kind_idx;
INSERT INTO events VALUES (1, 1, 'a'), (2, 2, 'b');
