-- A partition moves to a new parent that has the same partitioned index: the index it has
-- from its old parent (its own once detached) already has the name the desired state pins,
-- so attaching adopts it and nothing is named afterwards (naming it after the attach while
-- the attach waited for the name was an ordering cycle).
CREATE TABLE public.shipments (id integer, region text NOT NULL) PARTITION BY LIST (region);
CREATE UNIQUE INDEX shipments_region_id ON public.shipments (region, id);
CREATE TABLE public.shipments_north PARTITION OF public.shipments FOR VALUES IN ('north');
INSERT INTO public.shipments VALUES (1, 'north'), (2, 'north');
