CREATE TABLE teams (
    org_id integer NOT NULL,
    team_no integer NOT NULL,
    name text NOT NULL,
    PRIMARY KEY (org_id, team_no)
);
CREATE TABLE rooms (
    id integer PRIMARY KEY,
    site_code text NOT NULL,
    room_no integer NOT NULL,
    capacity integer,
    CONSTRAINT rooms_site_room_key UNIQUE (site_code, room_no)
);
-- has the key columns but no foreign key yet
CREATE TABLE members (
    id integer PRIMARY KEY,
    org_id integer NOT NULL,
    team_no integer,
    email text NOT NULL
);

INSERT INTO teams VALUES (1, 1, 'core'), (1, 2, 'web'), (2, 1, 'ops');
INSERT INTO rooms VALUES (1, 'BER', 101, 8), (2, 'BER', 102, 4), (3, 'PAR', 101, 12);
INSERT INTO members VALUES (1, 1, 1, 'a@x'), (2, 1, 2, 'b@x'), (3, 2, NULL, 'c@x');
