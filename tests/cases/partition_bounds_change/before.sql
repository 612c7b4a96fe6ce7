-- The bounds of a partition cannot change in place: it is detached (concurrently) and attached
-- again with its new bounds, which a CHECK proves first. A partition also moves to another
-- parent.
CREATE TABLE shipments (id bigint NOT NULL, shipped_on date NOT NULL, PRIMARY KEY (id, shipped_on))
    PARTITION BY RANGE (shipped_on);
CREATE TABLE shipments_h1 PARTITION OF shipments FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');
CREATE TABLE shipments_h2 PARTITION OF shipments FOR VALUES FROM ('2024-07-01') TO ('2025-01-01');
INSERT INTO shipments SELECT g, date '2024-01-01' + g FROM generate_series(1, 150) g;
