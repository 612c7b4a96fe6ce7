-- unique indexes (not constraints) that foreign keys can reference
CREATE TABLE currencies (
    id integer PRIMARY KEY,
    iso_code char(3) NOT NULL
);
CREATE UNIQUE INDEX currencies_iso_code_idx ON currencies (iso_code);

CREATE TABLE warehouses (
    id integer PRIMARY KEY,
    code text NOT NULL,
    name text NOT NULL
);
CREATE UNIQUE INDEX warehouses_code_idx ON warehouses (code);

CREATE TABLE prices (
    id integer PRIMARY KEY,
    currency char(3) NOT NULL,
    amount numeric(12,2) NOT NULL
);
-- already references the unique index; the index gets rebuilt (INCLUDE added)
CREATE TABLE stock (
    id integer PRIMARY KEY,
    warehouse_code text NOT NULL REFERENCES warehouses (code),
    sku text NOT NULL,
    quantity integer NOT NULL
);
CREATE TABLE suppliers (
    id integer PRIMARY KEY,
    tenant_id integer NOT NULL,
    vat_number text NOT NULL
);

INSERT INTO currencies VALUES (1, 'EUR'), (2, 'USD');
INSERT INTO warehouses VALUES (1, 'BER1', 'Berlin'), (2, 'PAR1', 'Paris');
INSERT INTO prices VALUES (1, 'EUR', 9.99), (2, 'USD', 10.99);
INSERT INTO stock VALUES (1, 'BER1', 'pen', 100), (2, 'PAR1', 'pen', 40);
INSERT INTO suppliers VALUES (1, 1, 'DE123'), (2, 1, 'FR456');
