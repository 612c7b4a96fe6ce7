CREATE TABLE documents (
    id bigint PRIMARY KEY,
    token text NOT NULL,
    attrs jsonb NOT NULL DEFAULT '{}',
    payload jsonb,
    tags text[] NOT NULL DEFAULT '{}',
    created_at timestamp NOT NULL DEFAULT now()
);
INSERT INTO documents (id, token, attrs, payload, tags, created_at)
SELECT g, md5(g::text), jsonb_build_object('lang', CASE WHEN g % 2 = 0 THEN 'en' ELSE 'de' END),
       jsonb_build_object('n', g), ARRAY['t' || (g % 5)], timestamp '2024-01-01' + g * interval '1 hour'
FROM generate_series(1, 200) AS g;
