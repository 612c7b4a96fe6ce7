CREATE DOMAIN amount AS integer CONSTRAINT amount_nonnegative CHECK (VALUE >= 0);
CREATE DOMAIN price AS amount CONSTRAINT price_cap CHECK (VALUE < 100000);
CREATE DOMAIN discount AS amount;
CREATE TABLE products (id integer PRIMARY KEY, price price NOT NULL, stock amount, past_prices price[]);
CREATE TABLE promotions (id integer PRIMARY KEY, discount discount);
CREATE VIEW priced AS SELECT id, price FROM products;
INSERT INTO products VALUES (1, 500, 3, '{400,450}'), (2, 99, NULL, NULL);
INSERT INTO promotions VALUES (1, 10);
