-- A partitioned index is dropped, and a partition gets an index of its own under the name its
-- attached index had: the parent's index (and the attached one with it) goes first.
CREATE TABLE public.events (id integer, kind text, body text) PARTITION BY LIST (kind);
CREATE TABLE public.events_click PARTITION OF public.events FOR VALUES IN ('click');
CREATE TABLE public.events_view PARTITION OF public.events FOR VALUES IN ('view');
CREATE INDEX events_kind_id_idx ON public.events (kind, id);
INSERT INTO public.events VALUES (1, 'click', 'a'), (2, 'view', 'b');
