DO $$ BEGIN CREATE ROLE sec_gm_ops; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE sec_gm_admin; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE sec_gm_owner; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE jobs (id integer PRIMARY KEY, payload text);
CREATE TABLE audit_log (id integer PRIMARY KEY, entry text);
CREATE VIEW recent_jobs AS SELECT id, payload FROM jobs;
INSERT INTO jobs VALUES (1, 'a'), (2, 'b');
-- Gains MAINTAIN beside its SELECT.
GRANT SELECT ON jobs TO sec_gm_ops;
-- ALL on 17 includes MAINTAIN: `all` in the YAML keeps it as it is.
GRANT ALL ON audit_log TO sec_gm_admin;
-- Loses MAINTAIN (revoked), keeps SELECT.
GRANT SELECT, MAINTAIN ON audit_log TO sec_gm_ops;
ALTER DEFAULT PRIVILEGES FOR ROLE sec_gm_owner IN SCHEMA public GRANT SELECT ON TABLES TO sec_gm_ops;
