CREATE TABLE products (
    id integer PRIMARY KEY,
    sku text COLLATE "C" NOT NULL,
    name text NOT NULL,
    slug varchar(80) COLLATE "POSIX",
    brand varchar(40) COLLATE "C",
    description text COLLATE "POSIX"
);
INSERT INTO products VALUES
    (1, 'AB-1', 'Widget', 'widget', 'Acme', 'A widget'),
    (2, 'ab-2', 'gadget', 'gadget', 'acme', NULL);
