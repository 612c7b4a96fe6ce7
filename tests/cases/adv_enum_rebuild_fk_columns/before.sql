-- An enum is a key: a lookup table keyed by it and a table referencing it. Reordering the
-- values rebuilds the type.
CREATE TYPE plan_tier AS ENUM ('pro', 'free', 'enterprise');
CREATE TABLE tier_limits (
    tier plan_tier PRIMARY KEY,
    max_seats integer NOT NULL
);
CREATE TABLE accounts (
    id integer PRIMARY KEY,
    tier plan_tier NOT NULL REFERENCES tier_limits (tier)
);
INSERT INTO tier_limits VALUES ('free', 1), ('pro', 10), ('enterprise', 1000);
INSERT INTO accounts VALUES (1, 'free'), (2, 'pro');
