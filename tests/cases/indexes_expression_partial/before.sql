CREATE TABLE accounts (
    id integer PRIMARY KEY,
    email text NOT NULL,
    name text NOT NULL,
    plan varchar(20) NOT NULL DEFAULT 'free',
    deleted_at timestamp with time zone,
    last_login timestamp,
    credit integer NOT NULL DEFAULT 0,
    bonus integer NOT NULL DEFAULT 0
);
INSERT INTO accounts VALUES
    (1, 'Ann@Example.com', 'Ann', 'pro', NULL, '2024-03-01 10:00', 10, 5),
    (2, 'bob@example.com', 'Bob', 'free', NULL, NULL, 0, 0),
    (3, 'ANN@example.com', 'Ann B', 'free', '2024-02-01 00:00+00', '2024-01-15 08:30', 3, 1);
