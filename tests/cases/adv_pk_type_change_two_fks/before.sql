-- Product codes were strings of digits; they become integers. The key is referenced by two
-- tables whose columns change type too.
CREATE TABLE products (
    code varchar(10) PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE order_lines (
    id integer PRIMARY KEY,
    product_code varchar(10) NOT NULL REFERENCES products (code),
    quantity integer NOT NULL
);
CREATE TABLE stock (
    product_code varchar(10) PRIMARY KEY REFERENCES products (code) ON DELETE CASCADE,
    on_hand integer NOT NULL
);
INSERT INTO products VALUES ('1001', 'Widget'), ('1002', 'Gadget');
INSERT INTO order_lines VALUES (1, '1001', 3), (2, '1002', 1);
INSERT INTO stock VALUES ('1001', 10), ('1002', 0);
