DO $$ BEGIN CREATE ROLE sec_gsc_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE sec_gsc_writer; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE SCHEMA reporting;
GRANT USAGE ON SCHEMA reporting TO sec_gsc_reader;
GRANT USAGE, CREATE ON SCHEMA reporting TO sec_gsc_writer WITH GRANT OPTION;
CREATE TABLE reporting.daily (day date PRIMARY KEY, total numeric NOT NULL);
