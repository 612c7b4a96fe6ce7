-- One checksum per field of the legacy wedding tables (and the row count of each), keyed by the
-- legacy row id: `field|md5`. scripts/wedding_fields_migrated.sql computes the same figures from
-- the generic tables after the migration; equal output means no value was lost or changed.
SELECT field, checksum FROM (
    SELECT 'wedding_invitations.' || f.key AS field,
           md5(string_agg(t.id || '=' || coalesce(f.value, '-'), ',' ORDER BY t.id)) AS checksum
      FROM wedding_invitations t, jsonb_each_text(to_jsonb(t) - 'id') f GROUP BY f.key
    UNION ALL
    SELECT 'wedding_guests.' || f.key,
           md5(string_agg(t.id || '=' || coalesce(f.value, '-'), ',' ORDER BY t.id))
      FROM wedding_guests t, jsonb_each_text(to_jsonb(t) - 'id') f GROUP BY f.key
    UNION ALL
    SELECT 'wedding_templates.' || f.key,
           md5(string_agg(t.id || '=' || coalesce(f.value, '-'), ',' ORDER BY t.id))
      FROM wedding_templates t, jsonb_each_text(to_jsonb(t) - 'id') f GROUP BY f.key
    UNION ALL
    SELECT 'tenants.type', md5(string_agg(id || '=' || type, ',' ORDER BY id)) FROM tenants
    UNION ALL SELECT 'wedding_invitations.rows', count(*)::text FROM wedding_invitations
    UNION ALL SELECT 'wedding_guests.rows', count(*)::text FROM wedding_guests
    UNION ALL SELECT 'wedding_templates.rows', count(*)::text FROM wedding_templates
) fields
ORDER BY field;
