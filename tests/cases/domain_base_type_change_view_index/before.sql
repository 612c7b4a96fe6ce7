CREATE DOMAIN short_name AS varchar(20) CONSTRAINT short_name_not_blank CHECK (VALUE <> '');
CREATE DOMAIN score AS integer DEFAULT 0 CHECK (VALUE >= 0);
CREATE TABLE players (
    id integer PRIMARY KEY,
    name short_name NOT NULL,
    nick short_name,
    best score DEFAULT 10,
    history score[]
);
CREATE INDEX players_name_idx ON players (name);
CREATE INDEX players_good_idx ON players (id) WHERE best > 100;
CREATE VIEW player_names AS SELECT id, name, best FROM players;
INSERT INTO players VALUES (1, 'ann', 'a', 120, '{1,2}'), (2, 'bob', NULL, 5, '{}');
