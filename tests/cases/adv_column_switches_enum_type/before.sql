-- A column moves from one enum type to another (the old one goes away): the values are the
-- same words, so the conversion is a cast through text.
CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');
CREATE TABLE orders (
    id integer PRIMARY KEY,
    status order_status NOT NULL DEFAULT 'new'
);
INSERT INTO orders VALUES (1, 'new'), (2, 'shipped');
