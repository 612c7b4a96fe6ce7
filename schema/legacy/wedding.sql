-- The legacy wedding invitation system of seed 000, before it became the generic event platform
-- of schema/*.yaml: tenants with wedding-specific types, templates, invitations and guests.
-- Load it into an empty database, fill it with scripts/wedding_data.sql, and `schemaplan apply`
-- migrates it (the hooks in schema/hooks.yaml move the data); `schemaplan rollback` brings it back.

CREATE TABLE tenants (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name varchar(255) NOT NULL,
    type varchar(50) NOT NULL,
    parent_id uuid REFERENCES tenants (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tenants_type_check CHECK (type IN ('super_admin', 'wedding_agency', 'couple', 'individual'))
);

CREATE TABLE wedding_templates (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid REFERENCES tenants (id),
    template_name varchar(255) NOT NULL,
    description text,
    layout_config jsonb NOT NULL DEFAULT '{}',
    color_scheme jsonb NOT NULL DEFAULT '{}',
    font_config jsonb NOT NULL DEFAULT '{}',
    sections_config jsonb NOT NULL DEFAULT '[]',
    is_public boolean NOT NULL DEFAULT false,
    is_premium boolean NOT NULL DEFAULT false,
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE wedding_invitations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    bride_name varchar(255),
    groom_name varchar(255),
    description text,
    wedding_date timestamptz,
    ceremony_time time,
    reception_time time,
    venue_name varchar(255),
    venue_address text,
    venue_coordinates text,
    status varchar(20) NOT NULL DEFAULT 'draft'
        CONSTRAINT wedding_invitations_status_check CHECK (status IN ('draft', 'published', 'archived')),
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_wedding_invitations_tenant ON wedding_invitations (tenant_id);

CREATE TABLE wedding_guests (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    wedding_invitation_id uuid NOT NULL REFERENCES wedding_invitations (id) ON DELETE CASCADE,
    guest_name varchar(255) NOT NULL,
    guest_email varchar(255),
    guest_phone varchar(50),
    plus_one_name varchar(255),
    table_number varchar(20),
    meal_preference varchar(50),
    rsvp_status varchar(10) NOT NULL DEFAULT 'pending'
        CONSTRAINT wedding_guests_rsvp_status_check CHECK (rsvp_status IN ('pending', 'yes', 'no', 'maybe')),
    invitation_sent_at timestamptz,
    rsvp_date timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_wedding_guests_invitation ON wedding_guests (wedding_invitation_id);
