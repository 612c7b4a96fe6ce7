CREATE TYPE st AS ENUM ('a', 'b', 'c');
CREATE TABLE t (id int PRIMARY KEY, s st NOT NULL);
CREATE VIEW v AS SELECT id, s, s::text AS label FROM t;
INSERT INTO t VALUES (1, 'a'), (2, 'c');
