CREATE SCHEMA app;
CREATE TABLE app.users (id bigint PRIMARY KEY, email text NOT NULL);
INSERT INTO app.users VALUES (1, 'Ann@example.com'), (2, 'bob@example.com');
