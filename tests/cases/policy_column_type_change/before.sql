DO $$ BEGIN CREATE ROLE sec_pct_member; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE teams (
    id integer PRIMARY KEY,
    code varchar(10) NOT NULL
);
CREATE TABLE memberships (
    team_id integer NOT NULL REFERENCES teams (id),
    member text NOT NULL,
    level smallint NOT NULL DEFAULT 1
);
CREATE TABLE reports (
    id bigint PRIMARY KEY,
    team_code varchar(10) NOT NULL,
    level smallint NOT NULL,
    title text NOT NULL
);
INSERT INTO teams VALUES (1, 'red'), (2, 'blue');
INSERT INTO memberships VALUES (1, 'sec_pct_member', 2);
INSERT INTO reports VALUES (1, 'red', 1, 'q1'), (2, 'blue', 3, 'q2');
ALTER TABLE reports ENABLE ROW LEVEL SECURITY;
-- Reads reports.level (its own column, retyped) and, through a subquery, teams.code and
-- memberships.level (other tables' columns, retyped too).
CREATE POLICY reports_team_members ON reports FOR SELECT TO sec_pct_member
    USING (EXISTS (SELECT 1 FROM teams t JOIN memberships m ON m.team_id = t.id
                   WHERE t.code = team_code AND m.member = current_user AND m.level >= reports.level));
-- Reads no retyped column: left alone.
CREATE POLICY reports_titled ON reports AS RESTRICTIVE USING (title <> '');
