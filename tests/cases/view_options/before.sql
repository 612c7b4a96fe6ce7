CREATE TABLE documents (
    id integer PRIMARY KEY,
    owner text NOT NULL,
    title text NOT NULL,
    confidential boolean NOT NULL DEFAULT false,
    archived boolean NOT NULL DEFAULT false
);
INSERT INTO documents VALUES (1, 'alice', 'Plan', false, false), (2, 'bob', 'Salaries', true, false);

CREATE VIEW public_documents WITH (security_barrier = true) AS
    SELECT id, owner, title FROM documents WHERE NOT confidential;
CREATE VIEW live_documents AS
    SELECT id, owner, title, confidential FROM documents WHERE NOT archived
    WITH LOCAL CHECK OPTION;
CREATE VIEW live_public_documents AS
    SELECT id, owner, title FROM live_documents WHERE NOT confidential
    WITH CASCADED CHECK OPTION;
CREATE VIEW alice_documents WITH (security_barrier = true) AS
    SELECT id, title FROM documents WHERE owner = 'alice';
