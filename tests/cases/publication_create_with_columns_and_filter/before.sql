CREATE SCHEMA shop;
CREATE TABLE shop.customers (id bigint PRIMARY KEY, name text NOT NULL);
INSERT INTO shop.customers VALUES (1, 'Ada');
