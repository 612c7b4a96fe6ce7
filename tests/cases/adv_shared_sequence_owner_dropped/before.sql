-- One sequence numbers two tables: it is owned by legacy_orders.id (a serial) and also the
-- default of web_orders.id. legacy_orders goes away; the sequence must survive for
-- web_orders, now owned by web_orders.id.
CREATE TABLE legacy_orders (
    id bigserial PRIMARY KEY,
    note text
);
CREATE TABLE web_orders (
    id bigint PRIMARY KEY DEFAULT nextval('legacy_orders_id_seq'),
    email text NOT NULL
);
INSERT INTO legacy_orders (note) VALUES ('a'), ('b');
INSERT INTO web_orders (email) VALUES ('x@example.com');
