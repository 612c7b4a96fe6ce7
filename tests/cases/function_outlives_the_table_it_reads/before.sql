-- A SQL procedure stays while the table its body reads is dropped. PostgreSQL records no
-- dependency of a body, and a pg_dump restore builds such a state with body checks off: so
-- does schemaplan when it builds the desired state and the copy for the rehearsal.
CREATE TABLE visits (at timestamptz DEFAULT now());
CREATE PROCEDURE log_visit() LANGUAGE sql AS $$ INSERT INTO visits DEFAULT VALUES $$;
