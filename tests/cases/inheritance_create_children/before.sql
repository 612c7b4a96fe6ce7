-- A parent table with rows; the desired state gives it heirs of their own.
CREATE TABLE public.events (
    id bigint NOT NULL,
    at timestamp with time zone NOT NULL DEFAULT now(),
    kind text NOT NULL,
    CONSTRAINT events_kind_check CHECK (kind <> '')
);
ALTER TABLE public.events ADD CONSTRAINT events_pkey PRIMARY KEY (id);
INSERT INTO public.events (id, kind) VALUES (1, 'boot'), (2, 'login');
