DO $$ BEGIN CREATE ROLE sec_gs_app; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE sec_gs_report; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE SEQUENCE invoice_numbers;
CREATE SEQUENCE ticket_numbers;
GRANT USAGE ON SEQUENCE invoice_numbers TO sec_gs_app;
GRANT SELECT, UPDATE ON SEQUENCE ticket_numbers TO sec_gs_report;
