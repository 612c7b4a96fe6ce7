-- A staging table with a serial key becomes unlogged. PostgreSQL 15 makes the owned sequence
-- unlogged along with the table on SET UNLOGGED, but not when the sequence is created on its
-- own and then owned by an unlogged table.
CREATE TABLE staging_rows (
    id serial PRIMARY KEY,
    payload jsonb
);
INSERT INTO staging_rows (payload) VALUES ('{}');
