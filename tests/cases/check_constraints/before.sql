CREATE TABLE products (
    id integer PRIMARY KEY,
    name text NOT NULL,
    price numeric(10,2) NOT NULL,
    discount_price numeric(10,2),
    status varchar(20) NOT NULL DEFAULT 'draft',
    kind text NOT NULL DEFAULT 'physical',
    weight_kg numeric,
    stock integer NOT NULL DEFAULT 0,
    CONSTRAINT products_price_check CHECK (price > 0),
    CONSTRAINT products_name_check CHECK (length(name) > 0),
    CONSTRAINT products_status_check CHECK (status IN ('draft', 'active')),
    CONSTRAINT products_stock_check CHECK (stock >= 0)
);
INSERT INTO products VALUES
    (1, 'pen', 1.50, NULL, 'active', 'physical', 0.02, 10),
    (2, 'ebook', 9.99, 4.99, 'draft', 'digital', NULL, 0),
    (3, 'sticker', 0.25, NULL, 'active', 'physical', 0.10, 5);
-- added after the fact without checking old rows; every row happens to satisfy it
ALTER TABLE products ADD CONSTRAINT products_weight_check CHECK (weight_kg > 0) NOT VALID;
