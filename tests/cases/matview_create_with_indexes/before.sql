CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer text NOT NULL,
    amount numeric(12,2) NOT NULL,
    placed_at timestamptz NOT NULL,
    status text NOT NULL DEFAULT 'open'
);
INSERT INTO orders VALUES
    (1, 'ada', 10.00, '2024-01-01 10:00+00', 'paid'),
    (2, 'ada', 5.50, '2024-01-02 10:00+00', 'open'),
    (3, 'bob', 7.25, '2024-02-01 10:00+00', 'paid');
CREATE VIEW paid_orders AS SELECT id, customer, amount, placed_at FROM orders WHERE status = 'paid';
