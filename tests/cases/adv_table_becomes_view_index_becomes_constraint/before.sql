-- `prices` was a table; it becomes a view (same name) over the new `price_list`, and a view
-- reading `prices` stays. A unique index on `skus` becomes a unique constraint with the index's
-- name, referenced by a foreign key.
CREATE TABLE skus (
    id integer PRIMARY KEY,
    code text NOT NULL
);
CREATE UNIQUE INDEX skus_code_key ON skus (code);
CREATE TABLE prices (
    sku_code text NOT NULL REFERENCES skus (code),
    amount numeric(10,2) NOT NULL
);
CREATE VIEW cheap_prices AS SELECT sku_code, amount FROM prices WHERE amount < 10;
INSERT INTO skus VALUES (1, 'A'), (2, 'B');
INSERT INTO prices VALUES ('A', 5), ('B', 20);
