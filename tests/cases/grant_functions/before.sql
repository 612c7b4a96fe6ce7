DO $$ BEGIN CREATE ROLE sec_gf_app; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE sec_gf_admin; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE sec_gf_other; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE FUNCTION price_with_tax(p numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT p * 1.2 $$;
REVOKE EXECUTE ON FUNCTION price_with_tax(numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION price_with_tax(numeric) TO sec_gf_app;
GRANT EXECUTE ON FUNCTION price_with_tax(numeric) TO sec_gf_other;
CREATE PROCEDURE purge() LANGUAGE sql AS $$ SELECT 1 $$;
GRANT EXECUTE ON PROCEDURE purge() TO sec_gf_app;
