-- Extended statistics: on columns, with kinds, on expressions (PostgreSQL 14+). One goes with
-- a dropped column, one is dropped, one changes its kinds (dropped and created again), new ones
-- come on expressions, on a new column and with a new table.
CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL,
    status text NOT NULL,
    shipped_at timestamp with time zone,
    note text,
    legacy_code integer
);
CREATE STATISTICS orders_legacy ON legacy_code, status FROM orders;
CREATE STATISTICS orders_customer_status (ndistinct) ON customer_id, status FROM orders;
CREATE STATISTICS orders_kinds (mcv) ON customer_id, shipped_at FROM orders;
CREATE STATISTICS orders_kept ON status, (lower(note)) FROM orders;
COMMENT ON STATISTICS orders_kept IS 'status with the note';
INSERT INTO orders VALUES (1, 10, 'new', NULL, 'Hi', 7), (2, 11, 'shipped', '2024-01-01', NULL, NULL);
