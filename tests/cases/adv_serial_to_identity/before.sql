-- A serial column becomes an identity column (the modern spelling), with rows.
CREATE TABLE customers (
    id serial PRIMARY KEY,
    name text NOT NULL
);
INSERT INTO customers (name) VALUES ('Ann'), ('Bob'), ('Cid');
