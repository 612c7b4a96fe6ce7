CREATE TYPE size AS ENUM ('m', 'xl');
CREATE TABLE shirts (id int PRIMARY KEY, size size NOT NULL DEFAULT 'm');
INSERT INTO shirts VALUES (1, 'xl');
