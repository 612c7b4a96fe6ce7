CREATE TABLE scores (id bigint PRIMARY KEY, player text NOT NULL, score numeric NOT NULL);
INSERT INTO scores VALUES (1, 'a', 10), (2, 'a', 30), (3, 'b', 20);
