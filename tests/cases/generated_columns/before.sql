CREATE TABLE line_items (
    id integer PRIMARY KEY,
    unit_price numeric(10,2) NOT NULL,
    quantity integer NOT NULL,
    tax_rate numeric(4,3) NOT NULL DEFAULT 0.2,
    net_total numeric GENERATED ALWAYS AS (unit_price * quantity) STORED,
    gross_total numeric GENERATED ALWAYS AS (unit_price * quantity * 1.2) STORED
);
INSERT INTO line_items (id, unit_price, quantity, tax_rate) VALUES
    (1, 9.99, 3, 0.2), (2, 100.00, 1, 0.07);

CREATE TABLE people (
    id integer PRIMARY KEY,
    first_name text NOT NULL,
    last_name text NOT NULL,
    search_key text GENERATED ALWAYS AS (lower(first_name || ' ' || last_name)) STORED
);
INSERT INTO people VALUES (1, 'Ada', 'Lovelace'), (2, 'Alan', 'Turing');
