CREATE TABLE foobar (id integer PRIMARY KEY, content text COLLATE "POSIX");
