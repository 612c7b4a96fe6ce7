DO $$ BEGIN CREATE ROLE sec_pol_staff; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE sec_pol_admin; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE tickets (
    id bigint PRIMARY KEY,
    assignee text,
    status text NOT NULL DEFAULT 'open',
    priority integer NOT NULL DEFAULT 0
);
INSERT INTO tickets VALUES (1, 'sec_pol_staff', 'open', 1), (2, NULL, 'closed', 3);
ALTER TABLE tickets ENABLE ROW LEVEL SECURITY;

-- Roles change: ALTER POLICY … TO.
CREATE POLICY tickets_assigned ON tickets FOR SELECT TO sec_pol_staff
    USING (assignee = current_user);
-- USING changes: ALTER POLICY … USING.
CREATE POLICY tickets_open ON tickets FOR SELECT USING (status = 'open');
-- The command changes: dropped and created again.
CREATE POLICY tickets_update ON tickets FOR UPDATE TO sec_pol_admin USING (true);
-- Permissive becomes restrictive: dropped and created again.
CREATE POLICY tickets_priority ON tickets USING (priority >= 0);
-- WITH CHECK goes away (ALTER POLICY cannot remove it): dropped and created again.
CREATE POLICY tickets_insert ON tickets FOR INSERT TO sec_pol_staff WITH CHECK (assignee = current_user);
-- Only the comment changes.
CREATE POLICY tickets_delete ON tickets FOR DELETE TO sec_pol_admin USING (status = 'closed');
COMMENT ON POLICY tickets_delete ON tickets IS 'old comment';
-- Goes away.
CREATE POLICY tickets_legacy ON tickets FOR SELECT USING (priority > 10);
