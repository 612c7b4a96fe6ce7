CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    display_name text,
    balance numeric(12,2) NOT NULL DEFAULT 0,
    flags integer
);
COMMENT ON TABLE accounts IS 'User accounts';
COMMENT ON COLUMN accounts.email IS 'Login e-mail';
COMMENT ON COLUMN accounts.balance IS 'Balance in cents';
COMMENT ON COLUMN accounts.flags IS 'Bit flags (deprecated)';

CREATE TABLE sessions (
    id uuid PRIMARY KEY,
    account_id bigint NOT NULL
);
COMMENT ON TABLE sessions IS 'Login sessions';

CREATE TABLE audit_log (
    id bigint PRIMARY KEY,
    entry text
);
INSERT INTO accounts (id, email) VALUES (1, 'a@example.com');
