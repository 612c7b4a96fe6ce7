CREATE TABLE products (
    id integer PRIMARY KEY,
    name text NOT NULL,
    price numeric(10,2) NOT NULL,
    discontinued boolean NOT NULL DEFAULT false
);
CREATE TABLE sales (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product_id integer NOT NULL REFERENCES products (id),
    quantity integer NOT NULL,
    sold_at date NOT NULL
);
INSERT INTO products VALUES (1, 'Pen', 1.50, false), (2, 'Ink', 7.00, true);
INSERT INTO sales (product_id, quantity, sold_at) VALUES (1, 10, '2024-01-02'), (2, 1, '2024-01-03');

-- Gains a column at the end.
CREATE VIEW active_products AS
    SELECT id, name FROM products WHERE NOT discontinued;
-- Its columns change (price goes, revenue's type changes): dropped and recreated.
CREATE VIEW product_sales AS
    SELECT p.id, p.name, p.price, sum(s.quantity) AS units
    FROM products p JOIN sales s ON s.product_id = p.id
    GROUP BY p.id;
-- Reads product_sales: recreated with it.
CREATE VIEW best_sellers AS
    SELECT id, name, units FROM product_sales WHERE units >= 10;
-- Dropped.
CREATE VIEW discontinued_products AS
    SELECT id, name FROM products WHERE discontinued;
