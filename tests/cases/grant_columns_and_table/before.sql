DO $$ BEGIN CREATE ROLE sec_gc_app; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE sec_gc_audit; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE people (
    id integer PRIMARY KEY,
    name text NOT NULL,
    salary numeric(10,2),
    nickname text
);
INSERT INTO people VALUES (1, 'Ada', 100, 'a'), (2, 'Bob', 200, NULL);
-- The whole table becomes two columns.
GRANT SELECT ON people TO sec_gc_app;
-- Loses its grant option.
GRANT SELECT (salary) ON people TO sec_gc_audit WITH GRANT OPTION;
-- The column is dropped: its grant goes first and comes back with it going down.
GRANT SELECT (nickname), UPDATE (nickname) ON people TO sec_gc_audit;
