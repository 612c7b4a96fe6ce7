-- An incomplete partitioned index (created ON ONLY the parent; two partitions' indexes
-- attached, the third partition's index of the same definition left local): the desired state
-- has it whole, the third's index attached under its name. Undoing the plan builds it ON ONLY
-- again with the two parts it had.
CREATE TABLE public.orders (
    id bigint NOT NULL,
    region text NOT NULL,
    placed_on date NOT NULL
) PARTITION BY LIST (region);
CREATE TABLE public.orders_eu PARTITION OF public.orders FOR VALUES IN ('eu');
CREATE TABLE public.orders_us PARTITION OF public.orders FOR VALUES IN ('us');
CREATE TABLE public.orders_apac PARTITION OF public.orders FOR VALUES IN ('apac');
CREATE INDEX orders_placed_idx ON ONLY public.orders (placed_on);
CREATE INDEX orders_eu_placed ON public.orders_eu (placed_on);
ALTER INDEX public.orders_placed_idx ATTACH PARTITION public.orders_eu_placed;
CREATE INDEX orders_us_placed ON public.orders_us (placed_on);
ALTER INDEX public.orders_placed_idx ATTACH PARTITION public.orders_us_placed;
CREATE INDEX orders_apac_placed ON public.orders_apac (placed_on);
INSERT INTO public.orders VALUES (1, 'eu', '2024-01-01'), (2, 'us', '2024-02-01'),
    (3, 'apac', '2024-03-01');
