-- The figures of scripts/wedding_fields_legacy.sql, read from the generic event tables after the
-- migration: each legacy field is found where the hooks of schema/hooks.yaml put it (through
-- legacy_id), mapped back to its legacy form (RSVP answers, tenant types).
WITH invitations AS (
    SELECT e.legacy_id AS id,
           jsonb_build_object(
               'tenant_id', e.tenant_id,
               'bride_name', e.form_data ->> 'bride_name',
               'groom_name', e.form_data ->> 'groom_name',
               'description', e.description,
               'wedding_date', e.event_date,
               'ceremony_time', (e.form_data ->> 'ceremony_time')::time,
               'reception_time', (e.form_data ->> 'reception_time')::time,
               'venue_name', e.location ->> 'venue',
               'venue_address', e.location ->> 'address',
               'venue_coordinates', e.location ->> 'coordinates',
               'status', e.status,
               'created_by', e.created_by,
               'created_at', e.created_at,
               'updated_at', e.updated_at) AS fields
      FROM events e WHERE e.legacy_id IS NOT NULL
), guests AS (
    SELECT p.legacy_id AS id,
           jsonb_build_object(
               'wedding_invitation_id', e.legacy_id,
               'guest_name', p.contact_info ->> 'name',
               'guest_email', p.contact_info ->> 'email',
               'guest_phone', p.contact_info ->> 'phone',
               'plus_one_name', p.custom_fields ->> 'plus_one_name',
               'table_number', p.custom_fields ->> 'table_assignment',
               'meal_preference', p.custom_fields ->> 'meal_preference',
               'rsvp_status', CASE p.rsvp_status WHEN 'accepted' THEN 'yes' WHEN 'declined' THEN 'no'
                                                 WHEN 'tentative' THEN 'maybe' ELSE 'pending' END,
               'invitation_sent_at', p.invitation_sent_at,
               'rsvp_date', p.rsvp_date,
               'created_at', p.created_at) AS fields
      FROM event_participants p JOIN events e ON e.id = p.event_id
     WHERE p.legacy_id IS NOT NULL
), templates AS (
    SELECT t.legacy_id AS id,
           jsonb_build_object(
               'tenant_id', t.tenant_id,
               'template_name', t.name,
               'description', t.description,
               'layout_config', t.template_data -> 'layout',
               'color_scheme', t.template_data -> 'colors',
               'font_config', t.template_data -> 'fonts',
               'sections_config', t.template_data -> 'sections',
               'is_public', t.is_public,
               'is_premium', t.is_premium,
               'created_by', t.created_by,
               'created_at', t.created_at) AS fields
      FROM event_templates t WHERE t.legacy_id IS NOT NULL
)
SELECT field, checksum FROM (
    SELECT 'wedding_invitations.' || f.key AS field,
           md5(string_agg(t.id || '=' || coalesce(f.value, '-'), ',' ORDER BY t.id)) AS checksum
      FROM invitations t, jsonb_each_text(t.fields) f GROUP BY f.key
    UNION ALL
    SELECT 'wedding_guests.' || f.key,
           md5(string_agg(t.id || '=' || coalesce(f.value, '-'), ',' ORDER BY t.id))
      FROM guests t, jsonb_each_text(t.fields) f GROUP BY f.key
    UNION ALL
    SELECT 'wedding_templates.' || f.key,
           md5(string_agg(t.id || '=' || coalesce(f.value, '-'), ',' ORDER BY t.id))
      FROM templates t, jsonb_each_text(t.fields) f GROUP BY f.key
    UNION ALL
    SELECT 'tenants.type',
           md5(string_agg(id || '=' || CASE type WHEN 'event_agency' THEN 'wedding_agency'
                                                 WHEN 'event_organizer' THEN 'couple' ELSE type END,
                          ',' ORDER BY id))
      FROM tenants
    UNION ALL SELECT 'wedding_invitations.rows', count(*)::text FROM invitations
    UNION ALL SELECT 'wedding_guests.rows', count(*)::text FROM guests
    UNION ALL SELECT 'wedding_templates.rows', count(*)::text FROM templates
) fields
ORDER BY field;
