CREATE TABLE shipments (
    id integer,
    carrier text,
    weight integer
) PARTITION BY LIST (carrier);
CREATE TABLE shipments_air PARTITION OF shipments (
    CONSTRAINT shipments_air_pkey PRIMARY KEY (carrier, id)
) FOR VALUES IN ('air');
CREATE TABLE shipments_sea PARTITION OF shipments (weight NOT NULL) FOR VALUES IN ('sea');
CREATE TABLE shipments_rail PARTITION OF shipments FOR VALUES IN ('rail');
INSERT INTO shipments VALUES (1, 'air', 10), (2, 'sea', 20), (3, 'rail', 30);
