-- INSTEAD OF triggers make views writable. One view gains a trigger, one loses a column (so it
-- is dropped and created again: its trigger is dropped first and created again after), one is
-- dropped with its trigger (dropped first, so that going back creates it again), one is new.
CREATE TABLE people (id serial PRIMARY KEY, name text, email text);
CREATE FUNCTION people_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO people (name) VALUES (NEW.name);
    RETURN NEW;
END
$$;
CREATE VIEW names AS SELECT id, name FROM people;
CREATE VIEW contacts AS SELECT id, name, email FROM people;
CREATE TRIGGER contacts_insert INSTEAD OF INSERT ON contacts FOR EACH ROW EXECUTE FUNCTION people_insert();
CREATE VIEW legacy AS SELECT name FROM people;
CREATE TRIGGER legacy_insert INSTEAD OF INSERT ON legacy FOR EACH ROW EXECUTE FUNCTION people_insert();
