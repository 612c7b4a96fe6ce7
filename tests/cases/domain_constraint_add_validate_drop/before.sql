CREATE DOMAIN quantity AS integer CONSTRAINT quantity_positive CHECK (VALUE > 0);
CREATE DOMAIN small_quantity AS quantity CONSTRAINT small_quantity_max CHECK (VALUE <= 100);
CREATE DOMAIN sku AS text CONSTRAINT sku_upper CHECK (VALUE = upper(VALUE));
ALTER DOMAIN sku ADD CONSTRAINT sku_length CHECK (length(VALUE) <= 12) NOT VALID;
CREATE TABLE stock (id integer PRIMARY KEY, sku sku NOT NULL, on_hand quantity);
CREATE TABLE orders (id integer PRIMARY KEY, amount small_quantity);
CREATE TABLE unrelated (id integer PRIMARY KEY);
INSERT INTO stock VALUES (1, 'AB1', 5), (2, 'CD2', 7);
INSERT INTO orders VALUES (1, 3), (2, 50);
