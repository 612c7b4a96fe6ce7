CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL, secret text);
CREATE TABLE prices (id bigint PRIMARY KEY, amount numeric NOT NULL);
CREATE TABLE audit (id bigint PRIMARY KEY, note text);
CREATE PUBLICATION catalog_pub FOR TABLE items, prices;
CREATE PUBLICATION audit_pub FOR TABLE audit WITH (publish = 'insert');
INSERT INTO items VALUES (1, 'chair', 'x');
