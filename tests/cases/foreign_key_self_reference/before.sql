-- a tree whose parent_id was never enforced; every parent exists
CREATE TABLE categories (
    id integer PRIMARY KEY,
    parent_id integer,
    name text NOT NULL
);
INSERT INTO categories VALUES (1, NULL, 'root'), (2, 1, 'books'), (3, 2, 'novels'), (4, 1, 'music');
