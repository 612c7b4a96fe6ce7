CREATE TABLE items (id bigint PRIMARY KEY, price numeric NOT NULL, updated_at timestamptz);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch();
CREATE FUNCTION with_tax(p numeric) RETURNS numeric LANGUAGE sql AS $$ SELECT p * 1.2 $$;
COMMENT ON FUNCTION with_tax(numeric) IS 'old rate';
CREATE VIEW priced AS SELECT id, with_tax(price) AS gross FROM items;
CREATE PROCEDURE reprice(factor numeric) LANGUAGE sql AS $$ UPDATE items SET price = price * factor $$;
INSERT INTO items VALUES (1, 10, NULL), (2, 20, NULL);
