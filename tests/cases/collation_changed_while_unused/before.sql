CREATE SCHEMA app;
CREATE COLLATION app.names (provider = libc, locale = 'C');
CREATE COLLATION app.kept (provider = icu, locale = 'und');
CREATE TABLE app.people (id bigint PRIMARY KEY, name text COLLATE app.kept);
