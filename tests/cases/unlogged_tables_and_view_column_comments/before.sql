CREATE UNLOGGED TABLE session_cache (key text PRIMARY KEY, value jsonb, expires_at timestamptz);
CREATE TABLE page_views (id bigint PRIMARY KEY, path text NOT NULL, viewed_at timestamptz NOT NULL DEFAULT now());
CREATE VIEW recent_views AS SELECT id, path FROM page_views WHERE viewed_at > now() - interval '1 day';
COMMENT ON COLUMN recent_views.path IS 'request path';
COMMENT ON COLUMN recent_views.id IS 'old comment';
