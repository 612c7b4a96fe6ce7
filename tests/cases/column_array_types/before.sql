CREATE TABLE measurements (
    id integer PRIMARY KEY,
    labels text[] NOT NULL DEFAULT '{}',
    readings integer[],
    codes varchar(10)[],
    sensor_ids text[],
    grid integer[][],
    legacy_flags boolean[]
);
INSERT INTO measurements VALUES
    (1, '{a,b}', '{1,2,3}', '{X1,Y22}', '{"6f1c1a5e-4a43-4d6b-9a4e-8a2b8c0d1e2f"}', '{{1,2},{3,4}}', '{t,f}'),
    (2, '{}', NULL, '{}', NULL, NULL, NULL);
