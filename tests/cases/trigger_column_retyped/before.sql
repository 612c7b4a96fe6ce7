CREATE TABLE readings (id bigint PRIMARY KEY, sensor text NOT NULL, value integer NOT NULL, flagged boolean NOT NULL DEFAULT false);
CREATE FUNCTION flag_reading() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.flagged := true; RETURN NEW; END $$;
CREATE TRIGGER readings_flag BEFORE INSERT OR UPDATE OF value ON readings
    FOR EACH ROW WHEN (NEW.value > 1000) EXECUTE FUNCTION flag_reading();
CREATE TRIGGER readings_sensor BEFORE UPDATE OF sensor ON readings
    FOR EACH ROW EXECUTE FUNCTION flag_reading();
INSERT INTO readings VALUES (1, 's1', 10, false), (2, 's2', 2000, true);
