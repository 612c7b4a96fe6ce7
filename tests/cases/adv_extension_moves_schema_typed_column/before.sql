-- citext was installed in public; it moves into a dedicated `extensions` schema. Columns, a
-- unique index and a view use its type; nothing about them changes but the schema the type
-- lives in (ALTER EXTENSION … SET SCHEMA moves the type with everything using it).
CREATE SCHEMA extensions;
CREATE EXTENSION citext WITH SCHEMA public;
CREATE TABLE logins (
    id integer PRIMARY KEY,
    username public.citext NOT NULL
);
CREATE UNIQUE INDEX logins_username_idx ON logins (username);
CREATE VIEW login_names AS SELECT id, username FROM logins;
INSERT INTO logins VALUES (1, 'Ann'), (2, 'bob');
