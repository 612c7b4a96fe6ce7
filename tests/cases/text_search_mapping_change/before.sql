CREATE TEXT SEARCH DICTIONARY my_stem (TEMPLATE = snowball, language = 'english');
CREATE TEXT SEARCH DICTIONARY my_simple (TEMPLATE = simple, accept = 'false', stopwords = 'english');
CREATE TEXT SEARCH CONFIGURATION my_cfg (PARSER = default);
ALTER TEXT SEARCH CONFIGURATION my_cfg ADD MAPPING FOR asciiword, word WITH my_simple, my_stem;
ALTER TEXT SEARCH CONFIGURATION my_cfg ADD MAPPING FOR email, url WITH simple;
CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL);
INSERT INTO notes VALUES (1, 'the quick brown fox');
CREATE VIEW note_vectors AS SELECT id, to_tsvector('my_cfg', body) AS v FROM notes;
