CREATE TYPE ticket_source AS ENUM ('email', 'phone', 'fax');
CREATE TABLE tickets (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject text NOT NULL,
    source ticket_source NOT NULL DEFAULT 'email'
);
CREATE INDEX tickets_source_idx ON tickets (source);
INSERT INTO tickets (subject, source) VALUES ('Printer on fire', 'phone'), ('Invoice', 'fax');
