CREATE TEXT SEARCH DICTIONARY words (TEMPLATE = simple, stopwords = 'english');
CREATE TEXT SEARCH CONFIGURATION notes_cfg (PARSER = default);
ALTER TEXT SEARCH CONFIGURATION notes_cfg ADD MAPPING FOR asciiword, word WITH words;
CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL);
INSERT INTO notes VALUES (1, 'the running notes');
CREATE INDEX notes_fts ON notes USING gin (to_tsvector('notes_cfg'::regconfig, body));
CREATE VIEW note_vectors AS SELECT id, to_tsvector('notes_cfg', body) AS v FROM notes;
