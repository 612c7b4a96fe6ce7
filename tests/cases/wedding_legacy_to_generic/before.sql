-- The legacy wedding invitation system, before the generic event engine (no rows yet).
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

CREATE TABLE wedding_invitations (
    id uuid PRIMARY KEY DEFAULT uuid_generate_v4(),
    tenant_id uuid NOT NULL,
    title varchar(255) NOT NULL,
    bride_name varchar(255),
    groom_name varchar(255),
    wedding_date timestamp with time zone,
    venue_name varchar(255),
    venue_address text,
    status varchar(20) NOT NULL DEFAULT 'draft',
    created_by uuid,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT wedding_invitations_status_check CHECK (status IN ('draft', 'published', 'archived'))
);
CREATE INDEX idx_wedding_invitations_tenant ON wedding_invitations (tenant_id, wedding_date DESC);

CREATE TABLE wedding_guests (
    id uuid PRIMARY KEY DEFAULT uuid_generate_v4(),
    wedding_invitation_id uuid NOT NULL REFERENCES wedding_invitations (id) ON DELETE CASCADE,
    guest_name varchar(255) NOT NULL,
    guest_email varchar(255),
    guest_phone varchar(50),
    plus_one_name varchar(255),
    table_number varchar(20),
    meal_preference varchar(50),
    rsvp_status varchar(20) NOT NULL DEFAULT 'pending',
    invitation_sent_at timestamp with time zone,
    rsvp_date timestamp with time zone,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT wedding_guests_rsvp_status_check CHECK (rsvp_status IN ('pending', 'yes', 'no', 'maybe'))
);
CREATE INDEX idx_wedding_guests_invitation ON wedding_guests (wedding_invitation_id, rsvp_status);

CREATE TABLE wedding_templates (
    id uuid PRIMARY KEY DEFAULT uuid_generate_v4(),
    name varchar(255) NOT NULL,
    template_data jsonb NOT NULL DEFAULT '{}',
    is_premium boolean NOT NULL DEFAULT false,
    created_at timestamp with time zone NOT NULL DEFAULT now()
);
