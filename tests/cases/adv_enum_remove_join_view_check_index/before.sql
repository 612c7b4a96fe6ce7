-- `archived` is removed from an enum used by two tables. A view joins the tables on the enum
-- columns (no enum literal in it), a partial index and a check constraint use enum literals.
CREATE TYPE stage AS ENUM ('draft', 'review', 'archived', 'live');
CREATE TABLE articles (
    id integer PRIMARY KEY,
    title text NOT NULL,
    stage stage NOT NULL DEFAULT 'draft',
    CONSTRAINT articles_live_has_title CHECK (stage <> 'live' OR title <> '')
);
CREATE TABLE reviewers (
    id integer PRIMARY KEY,
    name text NOT NULL,
    stage stage NOT NULL
);
CREATE INDEX articles_in_review_idx ON articles (id) WHERE stage = 'review';
CREATE VIEW article_reviewers AS
    SELECT a.id AS article_id, r.name AS reviewer
    FROM articles a JOIN reviewers r ON r.stage = a.stage;
INSERT INTO articles VALUES (1, 'Hello', 'draft'), (2, 'World', 'review'), (3, 'Done', 'live');
INSERT INTO reviewers VALUES (1, 'Ann', 'review'), (2, 'Bob', 'draft');
