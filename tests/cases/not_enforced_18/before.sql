-- NOT ENFORCED constraints (PostgreSQL 18): an enforced foreign key becomes not enforced
-- (ALTER CONSTRAINT … NOT ENFORCED), an enforced check too (PostgreSQL cannot alter a check's
-- enforcement: dropped and added again), an existing table gains a foreign key not enforced
-- (no NOT VALID and no validation: it reads no rows), and a new table is created with a check
-- and a foreign key not enforced. The other way, a foreign key and a check not enforced become
-- enforced: each is dropped and added again, NOT VALID then validated (`ALTER CONSTRAINT …
-- ENFORCED` would check every row under ACCESS EXCLUSIVE).
CREATE TABLE owners (id bigint PRIMARY KEY);
CREATE TABLE pets (
    id bigint PRIMARY KEY,
    owner_id bigint CONSTRAINT pets_owner_fk REFERENCES owners (id),
    legs integer CONSTRAINT pets_legs_check CHECK (legs >= 0),
    vet_id bigint
);
CREATE TABLE vets (id bigint PRIMARY KEY);
CREATE TABLE visits (
    id bigint PRIMARY KEY,
    pet_id bigint CONSTRAINT visits_pet_fk REFERENCES pets (id) NOT ENFORCED,
    minutes integer CONSTRAINT visits_minutes_check CHECK (minutes > 0) NOT ENFORCED
);
INSERT INTO owners VALUES (1);
INSERT INTO pets VALUES (1, 1, 4, 7);
INSERT INTO visits VALUES (1, 1, 30);
