CREATE TABLE items (
    id integer PRIMARY KEY,
    tenant_id integer NOT NULL,
    sku text NOT NULL,
    region text NOT NULL DEFAULT 'eu',
    legacy_code text,
    price numeric(10,2) NOT NULL,
    old_price numeric(10,2),
    CONSTRAINT items_tenant_region_sku_key UNIQUE (tenant_id, region, sku),
    CONSTRAINT items_old_price_check CHECK (old_price IS NULL OR old_price >= price),
    CONSTRAINT items_price_check CHECK (price >= 0)
);
CREATE INDEX items_tenant_legacy_idx ON items (tenant_id, legacy_code);
CREATE INDEX items_legacy_lower_idx ON items (lower(legacy_code)) WHERE legacy_code IS NOT NULL;
CREATE INDEX items_sku_idx ON items (sku);

INSERT INTO items VALUES
    (1, 1, 'pen', 'eu', 'P-1', 1.50, 2.00),
    (2, 1, 'ink', 'eu', NULL, 3.00, NULL),
    (3, 2, 'pen', 'us', 'P-9', 1.75, NULL);
