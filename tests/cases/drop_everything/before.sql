CREATE EXTENSION pgcrypto;
CREATE TYPE plan_tier AS ENUM ('free', 'pro', 'enterprise');
CREATE SEQUENCE invoice_number START 1000;
CREATE SEQUENCE standalone_counter AS integer;

CREATE TABLE customers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    tier plan_tier NOT NULL DEFAULT 'free',
    referred_by uuid REFERENCES customers (id)
);
CREATE TABLE invoices (
    number bigint PRIMARY KEY DEFAULT nextval('invoice_number'),
    customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    amount numeric(12,2) NOT NULL CHECK (amount >= 0),
    tiers_at_issue plan_tier[]
);
ALTER SEQUENCE invoice_number OWNED BY invoices.number;
CREATE INDEX invoices_customer_idx ON invoices (customer_id);
CREATE TABLE invoice_lines (
    invoice_number bigint NOT NULL REFERENCES invoices (number),
    line integer NOT NULL,
    text text NOT NULL,
    PRIMARY KEY (invoice_number, line)
);
CREATE VIEW customer_totals AS
    SELECT c.id, c.name, sum(i.amount) AS total
    FROM customers c LEFT JOIN invoices i ON i.customer_id = c.id
    GROUP BY c.id;
CREATE VIEW big_customers AS SELECT id, name FROM customer_totals WHERE total > 1000;
COMMENT ON TABLE customers IS 'Paying customers';

INSERT INTO customers (id, name, tier) VALUES ('00000000-0000-0000-0000-000000000001', 'Acme', 'pro');
INSERT INTO invoices (customer_id, amount, tiers_at_issue)
    VALUES ('00000000-0000-0000-0000-000000000001', 1200, '{pro}');
INSERT INTO invoice_lines VALUES (1000, 1, 'Consulting');
