CREATE TABLE authors (
    id serial PRIMARY KEY,
    name text NOT NULL
);
INSERT INTO authors (name) VALUES ('Ursula'), ('Terry');

CREATE TABLE posts (
    id bigserial PRIMARY KEY,
    author_id integer NOT NULL REFERENCES authors (id),
    title text NOT NULL
);
INSERT INTO posts (author_id, title) VALUES (1, 'Hello'), (2, 'World');
