-- A column with a collation, an index with another collation on it, an expression index and a
-- check that depend on the column's collation. The column's collation changes.
CREATE TABLE tags (
    id integer PRIMARY KEY,
    label text COLLATE "C" NOT NULL,
    CONSTRAINT tags_label_check CHECK (label > 'a')
);
CREATE INDEX tags_label_posix_idx ON tags (label COLLATE "POSIX");
CREATE INDEX tags_label_idx ON tags (label);
CREATE INDEX tags_label_lower_idx ON tags (lower(label));
INSERT INTO tags VALUES (1, 'b'), (2, 'zz');
