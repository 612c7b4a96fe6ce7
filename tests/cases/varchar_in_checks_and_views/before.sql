CREATE TABLE shipments (
    id integer PRIMARY KEY,
    carrier varchar(20) NOT NULL,
    status varchar(20) NOT NULL DEFAULT 'pending',
    country char(2) NOT NULL,
    CONSTRAINT shipments_carrier_check CHECK (carrier IN ('dhl', 'ups', 'fedex')),
    CONSTRAINT shipments_status_check CHECK (status IN ('pending', 'sent', 'lost')),
    CONSTRAINT shipments_country_check CHECK (country NOT IN ('XX', 'ZZ'))
);
INSERT INTO shipments VALUES (1, 'dhl', 'sent', 'DE'), (2, 'ups', 'pending', 'US');

CREATE VIEW open_shipments AS
    SELECT id, carrier FROM shipments WHERE status IN ('pending', 'sent');
CREATE VIEW domestic_shipments AS
    SELECT id, status FROM shipments WHERE country NOT IN ('US', 'CA') AND carrier IN ('dhl');
