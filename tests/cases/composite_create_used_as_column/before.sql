CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL);
INSERT INTO customers VALUES (1, 'Ada');
