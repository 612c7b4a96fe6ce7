-- Roles belong to the cluster: created once, whichever case runs first.
DO $$ BEGIN CREATE ROLE sec_rls_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE sec_rls_writer; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE tenants (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    archived boolean NOT NULL DEFAULT false
);
CREATE TABLE documents (
    id bigint PRIMARY KEY,
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    owner_name text NOT NULL,
    body text
);
INSERT INTO tenants VALUES (1, 'acme', false), (2, 'old', true);
INSERT INTO documents VALUES (1, 1, 'sec_rls_reader', 'hello'), (2, 2, 'sec_rls_writer', 'bye');
