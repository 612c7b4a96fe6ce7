CREATE EXTENSION pg_trgm VERSION '1.4';
CREATE EXTENSION hstore VERSION '1.6';
CREATE TABLE documents (id integer PRIMARY KEY, body text, attrs hstore);
CREATE INDEX documents_body_trgm ON documents USING gin (body gin_trgm_ops);
INSERT INTO documents VALUES (1, 'hello world', 'a=>1');
