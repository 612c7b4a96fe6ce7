CREATE TABLE documents (
    id integer PRIMARY KEY,
    status varchar(20) DEFAULT 'new' NOT NULL,
    title text DEFAULT 'untitled',
    created_at timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamptz,
    version integer DEFAULT 0 NOT NULL,
    weight numeric(6,2),
    tags text[],
    published boolean DEFAULT false NOT NULL,
    legacy_code integer DEFAULT 42
);
INSERT INTO documents (id, title, weight) VALUES (1, 'first', 2.50), (2, NULL, NULL);
