CREATE TABLE users (
    id integer PRIMARY KEY,
    tenant_id integer NOT NULL,
    email text NOT NULL,
    username text,
    external_ref text,
    display_name text,
    phone text,
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_username_key UNIQUE (username),
    CONSTRAINT users_external_ref_key UNIQUE (external_ref),
    CONSTRAINT users_tenant_id_key UNIQUE (tenant_id, id)
);
COMMENT ON CONSTRAINT users_external_ref_key ON users IS 'one account per external system id';

-- positions are swapped inside a transaction: the desired state makes the key deferred
CREATE TABLE playlist_items (
    playlist_id integer NOT NULL,
    position integer NOT NULL,
    track text NOT NULL,
    CONSTRAINT playlist_items_position_key UNIQUE (playlist_id, position)
);

INSERT INTO users VALUES
    (1, 1, 'ann@example.com', 'ann', 'ext-1', 'Ann', '+100'),
    (2, 1, 'bob@example.com', NULL, 'ext-2', 'Bob', NULL),
    (3, 2, 'cat@example.com', NULL, NULL, 'Cat', '+300');
INSERT INTO playlist_items VALUES (1, 1, 'intro'), (1, 2, 'theme'), (2, 1, 'outro');
