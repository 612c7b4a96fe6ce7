CREATE TABLE readings (
    sensor integer,
    region text,
    reading numeric
) PARTITION BY LIST (region);
CREATE TABLE readings_north PARTITION OF readings FOR VALUES IN ('north');
CREATE TABLE readings_south PARTITION OF readings FOR VALUES IN ('south');
INSERT INTO readings VALUES (1, 'north', 2.5), (2, 'south', 3.5);
