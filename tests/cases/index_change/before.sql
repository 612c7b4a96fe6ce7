CREATE TABLE events (
    id bigint PRIMARY KEY,
    tenant_id integer NOT NULL,
    kind text NOT NULL,
    status text NOT NULL DEFAULT 'open',
    external_id text,
    occurred_at timestamp with time zone NOT NULL,
    data jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX events_tenant_idx ON events (tenant_id);
CREATE INDEX events_kind_idx ON events USING btree (kind);
CREATE INDEX events_open_idx ON events (occurred_at) WHERE status = 'open';
CREATE INDEX events_external_idx ON events (tenant_id, external_id);
CREATE INDEX events_data_idx ON events USING gin (data);
CREATE INDEX events_obsolete_idx ON events (status, kind);
COMMENT ON INDEX events_tenant_idx IS 'tenant scans';

INSERT INTO events (id, tenant_id, kind, status, external_id, occurred_at)
SELECT g, g % 3, 'k' || (g % 4), CASE WHEN g % 5 = 0 THEN 'closed' ELSE 'open' END,
       CASE WHEN g % 7 = 0 THEN NULL ELSE 'x' || g END, timestamptz '2024-01-01' + g * interval '1 minute'
FROM generate_series(1, 100) AS g;
