-- Realistic data for the legacy wedding schema (schema/legacy/wedding.sql): tenants of every
-- wedding-era type, templates, invitations and their guests. The same sizes give the same rows
-- (ids are md5-derived uuids, values are functions of the row number), so checksums repeat.
--
-- Sizes come from settings, defaulting to 100,000 invitations, 1,000,000 guests and 1,000
-- templates:
--   psql -c "SET wedding.invitations = 1000" ... or PGOPTIONS='-c wedding.invitations=1000' psql -f scripts/wedding_data.sql

CREATE TEMP TABLE wedding_sizes AS
SELECT coalesce(nullif(current_setting('wedding.invitations', true), ''), '100000')::int AS invitations,
       coalesce(nullif(current_setting('wedding.guests', true), ''), '1000000')::int AS guests,
       coalesce(nullif(current_setting('wedding.templates', true), ''), '1000')::int AS templates,
       greatest(3, coalesce(nullif(current_setting('wedding.invitations', true), ''), '100000')::int / 40) AS tenants;

-- One super admin, then agencies (with their couples below them), couples and individuals.
INSERT INTO tenants (id, name, type, parent_id, created_at)
SELECT md5('tenant' || n)::uuid,
       CASE WHEN n = 1 THEN 'Platform' ELSE 'Tenant ' || n END,
       CASE WHEN n = 1 THEN 'super_admin'
            WHEN n % 10 IN (2, 3) THEN 'wedding_agency'
            WHEN n % 10 = 9 THEN 'individual'
            ELSE 'couple' END,
       NULL,
       timestamptz '2023-01-01 00:00:00+00' + n * interval '17 minutes'
  FROM wedding_sizes, generate_series(1, tenants) AS n;
UPDATE tenants t
   SET parent_id = md5('tenant' || (2 + (n.n / 10) * 10))::uuid
  FROM (SELECT generate_series(1, tenants) AS n FROM wedding_sizes) n
 WHERE t.id = md5('tenant' || n.n)::uuid AND t.type = 'couple' AND 2 + (n.n / 10) * 10 < n.n;

INSERT INTO wedding_templates (id, tenant_id, template_name, description, layout_config,
                               color_scheme, font_config, sections_config, is_public, is_premium,
                               created_by, created_at)
SELECT md5('template' || n)::uuid,
       CASE WHEN n % 4 = 0 THEN NULL ELSE md5('tenant' || (1 + n % s.tenants))::uuid END,
       (ARRAY['Classic', 'Rustic', 'Garden', 'Beach', 'Minimal', 'Royal'])[1 + n % 6] || ' ' || n,
       CASE WHEN n % 3 = 0 THEN NULL ELSE 'A ' || (ARRAY['warm', 'elegant', 'playful'])[1 + n % 3] || ' design' END,
       jsonb_build_object('columns', 1 + n % 3, 'hero', n % 2 = 0),
       jsonb_build_object('primary', '#' || substr(md5('c' || n), 1, 6), 'accent', '#' || substr(md5('a' || n), 1, 6)),
       jsonb_build_object('heading', (ARRAY['Playfair', 'Lora', 'Inter'])[1 + n % 3], 'size', 12 + n % 6),
       jsonb_build_array('story', 'schedule', CASE WHEN n % 2 = 0 THEN 'gallery' ELSE 'registry' END),
       n % 4 = 0,
       n % 5 = 0,
       md5('user' || (n % 500))::uuid,
       timestamptz '2023-02-01 00:00:00+00' + n * interval '3 hours'
  FROM wedding_sizes s, generate_series(1, s.templates) AS n;

INSERT INTO wedding_invitations (id, tenant_id, bride_name, groom_name, description, wedding_date,
                                 ceremony_time, reception_time, venue_name, venue_address,
                                 venue_coordinates, status, created_by, created_at, updated_at)
SELECT md5('invitation' || n)::uuid,
       md5('tenant' || (2 + n % (s.tenants - 1)))::uuid,
       (ARRAY['Ana', 'Bella', 'Chloe', 'Dewi', 'Emma', 'Fatima', 'Grace', 'Hana', 'Ines', 'Julia'])[1 + n % 10]
           || ' ' || (ARRAY['Santoso', 'Smith', 'Garcia', 'Nguyen', 'Kowalski'])[1 + (n / 10) % 5],
       CASE WHEN n % 50 = 0 THEN NULL
            ELSE (ARRAY['Adi', 'Ben', 'Carlos', 'Dimas', 'Eli', 'Farid', 'George', 'Hugo'])[1 + n % 8]
                 || ' ' || (ARRAY['Wijaya', 'Jones', 'Lopez', 'Tran', 'Nowak'])[1 + (n / 8) % 5] END,
       CASE WHEN n % 7 = 0 THEN NULL ELSE 'Join us to celebrate, invitation ' || n END,
       CASE WHEN n % 20 = 0 THEN NULL
            ELSE timestamptz '2024-01-06 10:00:00+00' + (n % 900) * interval '1 day' END,
       CASE WHEN n % 9 = 0 THEN NULL ELSE time '09:00' + (n % 12) * interval '30 minutes' END,
       CASE WHEN n % 9 = 0 THEN NULL ELSE time '17:00' + (n % 8) * interval '30 minutes' END,
       (ARRAY['Grand Ballroom', 'Garden Villa', 'Seaside Chapel', 'Old Town Hall', 'Hilltop Barn'])[1 + n % 5],
       CASE WHEN n % 11 = 0 THEN NULL ELSE n || ' ' || (ARRAY['Jalan Merdeka', 'Main Street', 'Calle Mayor'])[1 + n % 3] END,
       CASE WHEN n % 4 = 0 THEN NULL
            ELSE round((-8 + (n % 1000) / 1000.0)::numeric, 5) || ',' || round((110 + (n % 777) / 777.0)::numeric, 5) END,
       (ARRAY['draft', 'published', 'published', 'archived'])[1 + n % 4],
       md5('user' || (n % 500))::uuid,
       timestamptz '2023-06-01 00:00:00+00' + n * interval '5 minutes',
       timestamptz '2023-06-01 00:00:00+00' + n * interval '5 minutes' + (n % 30) * interval '1 day'
  FROM wedding_sizes s, generate_series(1, s.invitations) AS n;

INSERT INTO wedding_guests (id, wedding_invitation_id, guest_name, guest_email, guest_phone,
                            plus_one_name, table_number, meal_preference, rsvp_status,
                            invitation_sent_at, rsvp_date, created_at)
SELECT md5('guest' || n)::uuid,
       md5('invitation' || (1 + n % s.invitations))::uuid,
       (ARRAY['Andi', 'Budi', 'Citra', 'Dian', 'Eka', 'Fajar', 'Gita', 'Hadi', 'Intan', 'Joko',
              'Kate', 'Liam', 'Maya', 'Noah', 'Olivia', 'Paul'])[1 + n % 16]
           || ' ' || (ARRAY['Putra', 'Sari', 'Brown', 'Lee', 'Martin', 'Rossi', 'Kim'])[1 + (n / 16) % 7],
       CASE WHEN n % 5 = 0 THEN NULL ELSE 'guest' || n || '@example.com' END,
       CASE WHEN n % 3 = 0 THEN NULL ELSE '+62 8' || lpad((n % 100000000)::text, 9, '0') END,
       CASE WHEN n % 6 = 0 THEN 'Partner of guest ' || n ELSE NULL END,
       CASE WHEN n % 4 = 0 THEN NULL ELSE 'T' || (1 + n % 40) END,
       (ARRAY[NULL, 'regular', 'vegetarian', 'vegan', 'halal', 'gluten free'])[1 + n % 6],
       (ARRAY['pending', 'yes', 'yes', 'no', 'maybe'])[1 + n % 5],
       CASE WHEN n % 10 = 0 THEN NULL ELSE timestamptz '2024-01-01 08:00:00+00' + (n % 300) * interval '1 hour' END,
       CASE WHEN n % 5 = 0 THEN NULL ELSE timestamptz '2024-01-20 08:00:00+00' + (n % 400) * interval '1 hour' END,
       timestamptz '2023-07-01 00:00:00+00' + n * interval '1 minute'
  FROM wedding_sizes s, generate_series(1, s.guests) AS n;

DROP TABLE wedding_sizes;
ANALYZE tenants, wedding_templates, wedding_invitations, wedding_guests;
