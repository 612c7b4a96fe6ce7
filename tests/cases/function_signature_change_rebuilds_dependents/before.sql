CREATE TABLE orders (id bigint PRIMARY KEY, qty integer NOT NULL, unit_price integer NOT NULL);
CREATE FUNCTION line_total(q integer, p integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT q * p $$;
CREATE VIEW order_totals AS SELECT id, line_total(qty, unit_price) AS total FROM orders;
CREATE VIEW big_orders AS SELECT id, total FROM order_totals WHERE total > 100;
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (line_total(qty, unit_price) > 0);
CREATE INDEX orders_total_idx ON orders (line_total(qty, unit_price));
CREATE FUNCTION orders_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER orders_guard BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION orders_guard();
CREATE FUNCTION obsolete(x integer) RETURNS integer LANGUAGE sql AS $$ SELECT x $$;
INSERT INTO orders VALUES (1, 2, 30), (2, 10, 50);
