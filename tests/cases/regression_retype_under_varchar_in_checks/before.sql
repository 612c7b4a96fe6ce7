CREATE TABLE t (id int PRIMARY KEY, s varchar(10) CHECK (s IN ('a', 'b')));
CREATE INDEX t_s_ab ON t (id) WHERE s IN ('a', 'b');
INSERT INTO t VALUES (1, 'a');
