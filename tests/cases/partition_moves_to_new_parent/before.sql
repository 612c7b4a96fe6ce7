-- A partition moves from a parent that goes to a new parent with the same bounds: it is
-- detached (concurrently) before the check proving its new bounds is added, so that the
-- detach leaves the check of its old bounds the plan then drops.
CREATE TABLE public.old_events (id integer, kind text NOT NULL DEFAULT '') PARTITION BY LIST (kind);
CREATE TABLE public.events_click PARTITION OF public.old_events FOR VALUES IN ('click');
INSERT INTO public.old_events VALUES (1, 'click');
