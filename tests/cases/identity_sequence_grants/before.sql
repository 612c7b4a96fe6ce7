-- Grants on the sequences of identity columns (`identity: { …, grants: … }`): an existing
-- identity's change (ann loses USAGE, ben gains SELECT, UPDATE); a new table's identity gets
-- its grants with it; an identity added to an existing column gets them after.
DO $$ BEGIN CREATE ROLE sec_ig_ann; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE sec_ig_ben; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    note text
);
GRANT USAGE, SELECT ON SEQUENCE orders_id_seq TO sec_ig_ann;
CREATE TABLE tags (id integer NOT NULL, label text);
INSERT INTO orders (note) VALUES ('first');
INSERT INTO tags VALUES (1, 'red');
