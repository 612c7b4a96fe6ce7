CREATE TABLE products (
    id integer PRIMARY KEY,
    name text NOT NULL,
    category text NOT NULL,
    price numeric(10,2) NOT NULL
);
INSERT INTO products VALUES (1, 'Pen', 'office', 1.50), (2, 'Desk', 'furniture', 120.00), (3, 'Ink', 'office', 7.00);
CREATE MATERIALIZED VIEW category_prices AS
    SELECT category, min(price) AS cheapest, max(price) AS dearest, count(*) AS products
    FROM products GROUP BY category;
-- Dropped.
CREATE INDEX category_prices_cheapest ON category_prices (cheapest);
-- Changed (now partial): built under a temporary name and swapped in.
CREATE INDEX category_prices_dearest ON category_prices (dearest);
-- Only its comment changes.
CREATE INDEX category_prices_products ON category_prices (products);
COMMENT ON INDEX category_prices_products IS 'old';
