-- Foreign keys from and to partitioned tables, on tables that hold rows and on a new one.
CREATE TABLE accounts (id bigint PRIMARY KEY);
INSERT INTO accounts SELECT generate_series(1, 20);
CREATE TABLE payments (
    id bigint NOT NULL,
    paid_on date NOT NULL,
    account_id bigint NOT NULL,
    PRIMARY KEY (id, paid_on)
) PARTITION BY RANGE (paid_on);
CREATE TABLE payments_2024 PARTITION OF payments FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO payments SELECT g, date '2024-01-01' + g, 1 + g % 20 FROM generate_series(1, 200) g;
CREATE TABLE refunds (id bigint PRIMARY KEY, payment_id bigint NOT NULL, payment_paid_on date NOT NULL);
INSERT INTO refunds SELECT g, g * 3, date '2024-01-01' + g * 3 FROM generate_series(1, 30) g;
