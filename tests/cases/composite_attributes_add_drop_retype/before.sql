CREATE TYPE dimensions AS (width integer, height integer, depth integer, unit text);
CREATE TYPE measurement AS (value numeric, unit varchar(5), taken_at timestamp);
CREATE TABLE parcels (id integer PRIMARY KEY, size dimensions);
CREATE VIEW parcel_widths AS SELECT id, (size).width FROM parcels;
INSERT INTO parcels VALUES (1, ROW(10, 20, 30, 'cm')), (2, ROW(1, 2, NULL, 'm'));
