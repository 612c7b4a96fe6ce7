-- A valid check and foreign key become NOT VALID: PostgreSQL has no way to mark them so again,
-- so each is dropped and added NOT VALID (which reads no rows).
CREATE TABLE owners (id bigint PRIMARY KEY);
CREATE TABLE pets (
    id bigint PRIMARY KEY,
    owner_id bigint CONSTRAINT pets_owner_fk REFERENCES owners (id),
    legs integer CONSTRAINT pets_legs_check CHECK (legs >= 0)
);
INSERT INTO owners VALUES (1);
INSERT INTO pets VALUES (1, 1, 4);
