CREATE TABLE accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    nickname varchar(40),
    legacy_flag boolean DEFAULT false
);
INSERT INTO accounts (email, nickname) VALUES ('a@example.com', 'a'), ('b@example.com', NULL);
