CREATE TABLE parcels (
    id integer,
    depot text,
    lane text
) PARTITION BY LIST (depot);
CREATE TABLE parcels_north PARTITION OF parcels FOR VALUES IN ('north');
CREATE TABLE parcels_rest PARTITION OF parcels DEFAULT;
