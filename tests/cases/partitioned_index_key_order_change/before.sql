-- A partitioned index changes the order of its keys: it is dropped with its partitions' parts
-- and built again partition by partition under the new names. Undoing the plan drops the new
-- index before anything names its parts back.
CREATE TABLE public.readings (sensor int, region text NOT NULL, level int) PARTITION BY LIST (region);
CREATE TABLE public.readings_north PARTITION OF public.readings FOR VALUES IN ('north');
CREATE TABLE public.readings_south PARTITION OF public.readings FOR VALUES IN ('south');
CREATE INDEX readings_lookup ON public.readings (region, level);
INSERT INTO public.readings VALUES (1, 'north', 3), (2, 'south', 5);
