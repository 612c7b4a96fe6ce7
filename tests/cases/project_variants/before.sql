-- Seed 002: the crew and equipment planner before project variants. Projects of four types;
-- equipment groups are unique by (project, name).
CREATE TABLE project_types (
    id uuid PRIMARY KEY,
    code text NOT NULL UNIQUE,
    name text NOT NULL
);
CREATE TABLE projects (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    project_type_id uuid NOT NULL REFERENCES project_types (id),
    customer_id uuid,
    owner_id uuid
);
CREATE TABLE project_roles (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    role_id uuid NOT NULL,
    daily_rate numeric(10,2),
    preferred_id uuid
);
CREATE TABLE project_equipment_groups (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name text NOT NULL,
    sort_order integer NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX idx_project_equipment_groups_project ON project_equipment_groups (project_id, name);

INSERT INTO project_types VALUES
    (md5('type artist')::uuid, 'artist', 'Artist'),
    (md5('type corporate')::uuid, 'corporate', 'Corporate'),
    (md5('type broadcast')::uuid, 'broadcast', 'Broadcast'),
    (md5('type dry_hire')::uuid, 'dry_hire', 'Dry hire');
INSERT INTO projects (id, name, project_type_id)
SELECT md5('project' || g)::uuid, 'Project ' || g,
       md5('type ' || (ARRAY['artist', 'corporate', 'broadcast', 'dry_hire'])[1 + g % 4])::uuid
  FROM generate_series(1, 24) g;
INSERT INTO project_roles (id, project_id, role_id, daily_rate)
SELECT md5('role' || g)::uuid, md5('project' || (1 + g % 24))::uuid, md5('r' || g % 5)::uuid,
       CASE WHEN g % 7 = 0 THEN NULL ELSE 300 + g END
  FROM generate_series(1, 60) g;
INSERT INTO project_equipment_groups (id, project_id, name, sort_order)
SELECT md5('group' || g)::uuid, md5('project' || (1 + g % 24))::uuid,
       (ARRAY['Audio', 'Lighting', 'Video'])[1 + (g / 24) % 3], g
  FROM generate_series(1, 72) g;
