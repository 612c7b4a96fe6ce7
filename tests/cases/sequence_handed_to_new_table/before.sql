-- A table replaced by a new one that takes over its sequence: the sequence must be released by
-- the old table (or handed over) before the old table is dropped, and owned by the new table
-- only once that exists.
CREATE SEQUENCE order_ids;
CREATE TABLE legacy_orders (
    id bigint NOT NULL DEFAULT nextval('order_ids'),
    total numeric NOT NULL
);
ALTER SEQUENCE order_ids OWNED BY legacy_orders.id;
INSERT INTO legacy_orders (total) SELECT g FROM generate_series(1, 10) AS g;
