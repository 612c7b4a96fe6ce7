CREATE SCHEMA counters;
CREATE SEQUENCE counters.global_id AS bigint START WITH 1000;

CREATE TABLE orders (
    id bigint PRIMARY KEY,
    reference bigint
);
CREATE TABLE legacy_orders (
    id bigint PRIMARY KEY
);
CREATE SEQUENCE order_ref_seq OWNED BY legacy_orders.id;
CREATE SEQUENCE loose_seq;
CREATE SEQUENCE detached_seq OWNED BY orders.id;
CREATE SEQUENCE line_seq;

CREATE TABLE lines (
    id bigint PRIMARY KEY DEFAULT nextval('line_seq'),
    order_id bigint NOT NULL
);
INSERT INTO orders VALUES (1, 10), (2, 11);
INSERT INTO legacy_orders VALUES (1);
INSERT INTO lines (order_id) VALUES (1), (2);
