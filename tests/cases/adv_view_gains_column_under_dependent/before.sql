-- A view gains a column at the end (CREATE OR REPLACE is enough) while another view, which
-- does not change, reads it. Undoing the step must take the column away again.
CREATE TABLE products (
    id integer PRIMARY KEY,
    name text NOT NULL,
    price numeric(10,2) NOT NULL
);
CREATE VIEW product_names AS SELECT id, name FROM products;
COMMENT ON COLUMN product_names.name IS 'Display name';
CREATE VIEW product_name_lengths AS SELECT id, length(name) AS len FROM product_names;
INSERT INTO products VALUES (1, 'Pen', 1.5);
