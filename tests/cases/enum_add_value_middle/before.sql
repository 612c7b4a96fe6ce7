CREATE TYPE order_status AS ENUM ('placed', 'paid', 'shipped');
CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status order_status NOT NULL DEFAULT 'placed',
    history order_status[] NOT NULL DEFAULT '{}'
);
CREATE INDEX orders_open_idx ON orders (id) WHERE status < 'shipped';
CREATE VIEW open_orders AS SELECT id, status FROM orders WHERE status <> 'shipped';
INSERT INTO orders (status, history) VALUES
    ('placed', '{}'),
    ('paid', '{placed}'),
    ('shipped', '{placed,paid}');
