CREATE TABLE docs (id bigint PRIMARY KEY, title text NOT NULL, body text, version integer NOT NULL DEFAULT 1);
CREATE TABLE doc_log (doc_id bigint, op text, at timestamptz DEFAULT now());
CREATE FUNCTION log_doc() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO doc_log (doc_id, op) VALUES (COALESCE(NEW.id, OLD.id), TG_OP);
  RETURN NULL;
END
$$;
CREATE FUNCTION bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := OLD.version + 1;
  RETURN NEW;
END
$$;
CREATE FUNCTION check_title() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.title = '' THEN RAISE EXCEPTION 'empty title'; END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER docs_log AFTER INSERT ON docs FOR EACH ROW EXECUTE FUNCTION log_doc();
CREATE TRIGGER docs_bump BEFORE UPDATE ON docs FOR EACH ROW EXECUTE FUNCTION bump_version();
COMMENT ON TRIGGER docs_bump ON docs IS 'counts edits';
CREATE TRIGGER docs_old AFTER TRUNCATE ON docs FOR EACH STATEMENT EXECUTE FUNCTION log_doc();
CREATE TRIGGER docs_quiet AFTER DELETE ON docs FOR EACH ROW EXECUTE FUNCTION log_doc();
ALTER TABLE docs DISABLE TRIGGER docs_quiet;
INSERT INTO docs VALUES (1, 'a', 'x', 1), (2, 'b', NULL, 3);
