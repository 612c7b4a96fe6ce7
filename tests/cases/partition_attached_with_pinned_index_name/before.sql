-- A plain table becomes a partition of a table with a partitioned index, and the desired state
-- pins the name of its part of that index: the index is built under that name before the
-- attach, which adopts it.
CREATE TABLE public.metrics (at date NOT NULL, name text, value numeric) PARTITION BY RANGE (at);
CREATE INDEX metrics_name_idx ON public.metrics (name);
CREATE TABLE public.metrics_2025 (at date NOT NULL, name text, value numeric);
INSERT INTO public.metrics_2025 VALUES ('2025-03-01', 'cpu', 0.5);
