-- Two unlogged tables (a bulk import), one referencing the other, become logged.
CREATE UNLOGGED TABLE users (
    id integer PRIMARY KEY,
    email text NOT NULL
);
CREATE UNLOGGED TABLE orders (
    id integer PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id)
);
INSERT INTO users VALUES (1, 'a@example.com');
INSERT INTO orders VALUES (1, 1);
