-- Per-column settings: statistics target, storage, compression (lz4 and pglz) and n_distinct.
-- Some change, some go back to the default, one column changes type (which resets its storage
-- and compression and keeps its target and options), a new column and a new table come with
-- settings. The table's TOAST parameters (`toast.*`) change too.
CREATE TABLE docs (
    id integer PRIMARY KEY,
    body text,
    title character varying(100),
    score integer,
    summary text,
    tags text[]
) WITH (toast.autovacuum_enabled = false);
ALTER TABLE docs
    ALTER COLUMN body SET STORAGE EXTERNAL,
    ALTER COLUMN body SET COMPRESSION lz4,
    ALTER COLUMN title SET STATISTICS 500,
    ALTER COLUMN score SET (n_distinct = -0.5),
    ALTER COLUMN score SET STATISTICS 50,
    ALTER COLUMN summary SET STORAGE MAIN,
    ALTER COLUMN summary SET STATISTICS 200,
    ALTER COLUMN summary SET (n_distinct = 100, n_distinct_inherited = 120);
INSERT INTO docs VALUES (1, 'hello', 'Hi', 3, 'short', '{a}'), (2, NULL, NULL, NULL, NULL, NULL);
