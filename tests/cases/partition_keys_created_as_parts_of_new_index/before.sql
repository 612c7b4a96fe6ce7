-- Everything new: a partitioned table with a plain unique index whose part on one partition is
-- that partition's own primary key (index_names pins it). The partition and its key come first,
-- the parent's index is created ON ONLY and the key's index attached; the partition created
-- after it gets its part from PostgreSQL. Undoing drops the parent's index with the key and
-- adds the key again, before the tables go.
CREATE TABLE public.unrelated (id int);
