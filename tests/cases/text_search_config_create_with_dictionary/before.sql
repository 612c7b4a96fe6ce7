CREATE TABLE docs (id bigint PRIMARY KEY, title text NOT NULL, body text NOT NULL);
INSERT INTO docs VALUES (1, 'Running fast', 'The runners were running'), (2, 'Cats', 'cats and dogs');
