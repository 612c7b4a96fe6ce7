-- `users` is renamed to `accounts` without a hint (drop + create) while two tables and a view
-- reference it; the foreign keys keep their names.
CREATE TABLE users (
    id integer PRIMARY KEY,
    email text NOT NULL UNIQUE
);
CREATE TABLE sessions (
    id integer PRIMARY KEY,
    user_id integer NOT NULL,
    CONSTRAINT sessions_owner_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE TABLE audit (
    id integer PRIMARY KEY,
    actor_email text,
    CONSTRAINT audit_actor_fkey FOREIGN KEY (actor_email) REFERENCES users (email)
);
CREATE VIEW session_owners AS SELECT s.id, u.email FROM sessions s JOIN users u ON u.id = s.user_id;
