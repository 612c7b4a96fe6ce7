-- A table that stops being partitioned is created again: its policy and grants come with the
-- new table, once (not also as changes of a table that stays).
CREATE TABLE entries (kind text NOT NULL, body text) PARTITION BY LIST (kind);
CREATE TABLE entries_a PARTITION OF entries FOR VALUES IN ('a');
ALTER TABLE entries ENABLE ROW LEVEL SECURITY;
CREATE POLICY entries_insert ON entries FOR INSERT TO PUBLIC WITH CHECK (true);
