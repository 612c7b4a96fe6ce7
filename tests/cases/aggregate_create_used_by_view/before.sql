CREATE TABLE tags (id bigint PRIMARY KEY, post_id bigint NOT NULL, tag text NOT NULL);
INSERT INTO tags VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 2, 'c');
