-- A table to be attached has an index of its own with the same definition as its parent's
-- partitioned index, and keeps it beside the part it brings: attaching adopts the first index
-- that matches, the older one, not the one built for the attach; the two trade names after.
CREATE TABLE public.orders (id int, shop text, placed date) PARTITION BY LIST (shop);
CREATE INDEX orders_shop_placed ON public.orders (shop, placed);
CREATE TABLE public.orders_web (id int, shop text, placed date);
CREATE INDEX orders_web_local ON public.orders_web (shop, placed);
INSERT INTO public.orders_web VALUES (1, 'web', '2025-01-02');
