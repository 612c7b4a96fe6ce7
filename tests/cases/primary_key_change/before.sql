-- projects is keyed by id alone; the desired state keys it by (tenant_id, id).
-- tasks keeps referencing projects(id), which must stay unique (a new unique constraint);
-- milestones switches to the new composite key.
CREATE TABLE tenants (
    id integer PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE projects (
    tenant_id integer NOT NULL REFERENCES tenants (id),
    id integer NOT NULL,
    name text NOT NULL,
    CONSTRAINT projects_pkey PRIMARY KEY (id)
);
CREATE TABLE tasks (
    id bigint PRIMARY KEY,
    project_id integer NOT NULL,
    title text NOT NULL,
    CONSTRAINT tasks_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id)
);
CREATE TABLE milestones (
    id integer PRIMARY KEY,
    tenant_id integer NOT NULL,
    project_id integer NOT NULL,
    due date,
    CONSTRAINT milestones_project_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);
-- no primary key yet; id is nullable (but has no NULLs)
CREATE TABLE labels (
    id integer,
    name text NOT NULL
);
-- loses its primary key: id stays NOT NULL, seq becomes nullable
CREATE TABLE audit_log (
    id bigint,
    seq integer,
    message text,
    PRIMARY KEY (id, seq)
);

INSERT INTO tenants VALUES (1, 'acme'), (2, 'globex');
INSERT INTO projects VALUES (1, 10, 'website'), (1, 11, 'mobile'), (2, 20, 'erp');
INSERT INTO tasks VALUES (100, 10, 'design'), (101, 10, 'build'), (102, 20, 'migrate');
INSERT INTO milestones VALUES (1, 1, 10, '2024-06-01'), (2, 2, 20, NULL);
INSERT INTO labels VALUES (1, 'bug'), (2, 'feature');
INSERT INTO audit_log VALUES (1, 1, 'created'), (1, 2, 'updated');
