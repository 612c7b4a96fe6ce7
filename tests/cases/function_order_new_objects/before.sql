CREATE TABLE plans (id bigint PRIMARY KEY, name text NOT NULL);
INSERT INTO plans VALUES (1, 'free');
