CREATE TABLE orders (
    id integer PRIMARY KEY,
    quantity text NOT NULL,
    code varchar(10) NOT NULL,
    customer_id integer NOT NULL,
    price numeric(10,2) NOT NULL,
    priority smallint DEFAULT 0 NOT NULL,
    status text DEFAULT 'new' NOT NULL,
    rank text DEFAULT '0'
);
INSERT INTO orders (id, quantity, code, customer_id, price, priority, status, rank) VALUES
    (1, '3', 'A-1', 100, 19.99, 1, 'new', '5'),
    (2, '42', 'B-22', 2147483647, 1234.50, 0, 'shipped', '10'),
    (3, '-7', 'C-333', 7, 0.01, 2, 'new', NULL);
