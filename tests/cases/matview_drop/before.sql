CREATE SCHEMA reporting;
CREATE TABLE public.payments (id bigint PRIMARY KEY, payer text NOT NULL, amount numeric(10,2) NOT NULL);
INSERT INTO public.payments VALUES (1, 'ada', 3.00), (2, 'bob', 4.50), (3, 'ada', 1.25);
-- Dropped, with the materialized view and the view that read it, and its indexes.
CREATE MATERIALIZED VIEW reporting.payer_totals AS SELECT payer, sum(amount) AS total FROM public.payments GROUP BY payer;
CREATE UNIQUE INDEX payer_totals_payer_key ON reporting.payer_totals (payer);
CREATE INDEX payer_totals_total ON reporting.payer_totals (total DESC);
COMMENT ON MATERIALIZED VIEW reporting.payer_totals IS 'Totals';
CREATE MATERIALIZED VIEW reporting.top_payers AS SELECT payer FROM reporting.payer_totals WHERE total > 4;
CREATE VIEW reporting.payer_list AS SELECT payer FROM reporting.payer_totals;
-- Stays.
CREATE MATERIALIZED VIEW reporting.payment_count AS SELECT count(*) AS n FROM public.payments;
