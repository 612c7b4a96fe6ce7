-- An identity column whose START WITH (and INCREMENT) go back to their defaults.
CREATE TABLE tickets (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 5) PRIMARY KEY,
    title text NOT NULL
);
INSERT INTO tickets (title) VALUES ('a'), ('b');
