DO $$ BEGIN CREATE ROLE sec_rd_user; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE projects (
    id integer PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE legacy_acl (
    project_id integer NOT NULL,
    member text NOT NULL
);
CREATE TABLE tasks (
    id integer PRIMARY KEY,
    project_id integer NOT NULL REFERENCES projects (id),
    title text NOT NULL
);
INSERT INTO projects VALUES (1, 'alpha');
INSERT INTO legacy_acl VALUES (1, 'sec_rd_user');
INSERT INTO tasks VALUES (1, 1, 'write');
-- Dropped with its policies, grants and row security: going down brings them all back.
CREATE TABLE scratch_notes (id integer PRIMARY KEY, note text);
INSERT INTO scratch_notes VALUES (1, 'keep me');
ALTER TABLE scratch_notes ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY scratch_mine ON scratch_notes TO sec_rd_user USING (note IS NOT NULL);
COMMENT ON POLICY scratch_mine ON scratch_notes IS 'dropped with its table';
GRANT SELECT ON scratch_notes TO sec_rd_user;
-- Row security switched off and its policies dropped; the policy that reads legacy_acl (which
-- is dropped) stops reading it first.
ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tasks_members ON tasks FOR SELECT TO sec_rd_user
    USING (EXISTS (SELECT 1 FROM legacy_acl a WHERE a.project_id = tasks.project_id AND a.member = current_user));
CREATE POLICY tasks_named ON tasks AS RESTRICTIVE USING (title <> '');
ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
CREATE POLICY projects_all ON projects USING (true);
