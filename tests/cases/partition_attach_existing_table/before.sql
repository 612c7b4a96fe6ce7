-- Tables of their own, with rows, become partitions: what they are to inherit (keys, indexes,
-- checks, foreign keys) is built and validated online first, a CHECK proves the bounds, then
-- ATTACH PARTITION adopts it all without a scan.
CREATE TABLE pages (id bigint PRIMARY KEY);
INSERT INTO pages SELECT generate_series(1, 10);
CREATE TABLE visits (
    id bigint NOT NULL,
    visited_on date NOT NULL,
    page_id bigint NOT NULL REFERENCES pages,
    duration integer CHECK (duration >= 0),
    PRIMARY KEY (id, visited_on)
) PARTITION BY RANGE (visited_on);
CREATE INDEX visits_page_id_idx ON visits (page_id);
CREATE TABLE visits_2024 PARTITION OF visits FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO visits SELECT g, date '2024-01-01' + g, 1 + g % 10, g FROM generate_series(1, 100) g;
-- Was filled on its own; already has the key PostgreSQL would give it.
CREATE TABLE visits_2023 (
    id bigint NOT NULL,
    visited_on date NOT NULL,
    page_id bigint NOT NULL,
    duration integer,
    CONSTRAINT visits_2023_pkey PRIMARY KEY (id, visited_on)
);
INSERT INTO visits_2023 SELECT g, date '2023-01-01' + g, 1 + g % 10, g FROM generate_series(1, 100) g;

CREATE TABLE tokens (id integer NOT NULL, secret text) PARTITION BY HASH (id);
CREATE TABLE tokens_0 PARTITION OF tokens FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE tokens_1 (id integer NOT NULL, secret text);
INSERT INTO tokens SELECT g, 's' || g FROM generate_series(1, 50) g WHERE satisfies_hash_partition('tokens'::regclass, 2, 0, g);
INSERT INTO tokens_1 SELECT g, 's' || g FROM generate_series(1, 50) g WHERE satisfies_hash_partition('tokens'::regclass, 2, 1, g);
