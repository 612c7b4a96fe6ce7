-- Incomplete partitioned indexes in the desired state (`only: true`): a new one on a table in
-- use covers the one partition whose `index_names` name it; a partition created by the same
-- plan gets no part of it (it is created first), and an incomplete one that exists stays.
CREATE TABLE public.events (
    id bigint NOT NULL,
    kind text NOT NULL,
    at timestamptz NOT NULL
) PARTITION BY LIST (kind);
CREATE TABLE public.events_click PARTITION OF public.events FOR VALUES IN ('click');
CREATE TABLE public.events_view PARTITION OF public.events FOR VALUES IN ('view');
CREATE INDEX events_id_idx ON ONLY public.events (id);
CREATE INDEX events_view_id ON public.events_view (id);
ALTER INDEX public.events_id_idx ATTACH PARTITION public.events_view_id;
INSERT INTO public.events VALUES (1, 'click', now()), (2, 'view', now());
