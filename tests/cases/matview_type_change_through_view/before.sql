CREATE TABLE shipments (
    id bigint PRIMARY KEY,
    carrier varchar(20) NOT NULL,
    weight_kg integer NOT NULL
);
INSERT INTO shipments VALUES (1, 'post', 3), (2, 'courier', 12), (3, 'post', 1);
-- A view over the column whose type changes: rebuilt.
CREATE VIEW heavy_shipments AS SELECT id, carrier, weight_kg FROM shipments WHERE weight_kg > 2;
-- A materialized view over that view: rebuilt with it (its index too).
CREATE MATERIALIZED VIEW carrier_load AS
    SELECT carrier, sum(weight_kg) AS total_kg FROM heavy_shipments GROUP BY carrier;
CREATE UNIQUE INDEX carrier_load_carrier_key ON carrier_load (carrier);
COMMENT ON COLUMN carrier_load.total_kg IS 'Kilograms';
-- A materialized view over that one: rebuilt too, and stays empty.
CREATE MATERIALIZED VIEW big_carriers AS SELECT carrier FROM carrier_load WHERE total_kg > 10 WITH NO DATA;
-- A view over the first materialized view: rebuilt too.
CREATE VIEW carrier_report AS SELECT carrier, total_kg FROM carrier_load ORDER BY carrier;
