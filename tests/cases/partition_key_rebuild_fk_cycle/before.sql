CREATE TABLE ledgers (
    id integer,
    zone text,
    counterpart integer,
    touched integer,
    CONSTRAINT ledgers_zone_id_key UNIQUE (zone, id)
);
CREATE TABLE entries (
    id integer,
    zone text,
    CONSTRAINT entries_zone_id_key UNIQUE (zone, id)
);
ALTER TABLE ledgers ADD CONSTRAINT ledgers_counterpart_fkey
    FOREIGN KEY (zone, counterpart) REFERENCES entries (zone, id);
ALTER TABLE entries ADD CONSTRAINT entries_ledger_fkey
    FOREIGN KEY (zone, id) REFERENCES ledgers (zone, id);
CREATE FUNCTION bump_touched() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN
  NEW.touched := coalesce(OLD.touched, 0) + 1;
  RETURN NEW;
END
$$;
CREATE TRIGGER ledgers_bump BEFORE UPDATE ON ledgers
    FOR EACH ROW EXECUTE FUNCTION bump_touched();
