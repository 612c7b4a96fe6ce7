CREATE TABLE customers (
    id integer PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE warehouses (
    id integer PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE carriers (
    code text PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE regions (
    country char(2) NOT NULL,
    code text NOT NULL,
    PRIMARY KEY (country, code)
);
CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL,
    warehouse_id integer DEFAULT 1,
    carrier_code text,
    referrer_id integer,
    ship_country char(2),
    ship_region text,
    CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id),
    CONSTRAINT orders_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES warehouses (id) ON DELETE CASCADE,
    CONSTRAINT orders_carrier_code_fkey FOREIGN KEY (carrier_code) REFERENCES carriers (code)
);
CREATE TABLE order_notes (
    id integer PRIMARY KEY,
    order_id integer NOT NULL,
    body text NOT NULL
);

INSERT INTO customers VALUES (1, 'ann'), (2, 'bob');
INSERT INTO warehouses VALUES (1, 'main'), (2, 'north');
INSERT INTO carriers VALUES ('ups', 'UPS'), ('dhl', 'DHL');
INSERT INTO regions VALUES ('DE', 'BY'), ('FR', 'IDF');
INSERT INTO orders VALUES
    (1, 1, 1, 'ups', NULL, 'DE', 'BY'),
    (2, 2, 2, NULL, 1, NULL, NULL),
    (3, 1, 1, 'dhl', 2, 'FR', 'IDF');
INSERT INTO order_notes VALUES (1, 1, 'fragile'), (2, 3, 'gift');
