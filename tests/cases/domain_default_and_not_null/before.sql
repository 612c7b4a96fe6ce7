CREATE DOMAIN status_text AS text DEFAULT 'new';
CREATE DOMAIN label AS varchar(40) NOT NULL;
CREATE TABLE tickets (id integer PRIMARY KEY, status status_text, title label);
INSERT INTO tickets VALUES (1, 'open', 'First'), (2, 'new', 'Second');
