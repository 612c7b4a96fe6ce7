-- Keys added ONLY a partitioned table (ALTER TABLE ONLY … ADD CONSTRAINT), which no partition's
-- part is attached to yet. One the desired state has whole: its partition holds a unique index
-- under the name PostgreSQL gives the key's part (`<partition>_pkey`), which goes first. One
-- the desired state keeps incomplete (`only: true`).
CREATE TABLE public.payments (
    id integer NOT NULL,
    region text NOT NULL
) PARTITION BY LIST (region);
CREATE TABLE public.payments_eu PARTITION OF public.payments FOR VALUES IN ('eu');
ALTER TABLE ONLY public.payments ADD CONSTRAINT payments_pkey PRIMARY KEY (region, id);
CREATE UNIQUE INDEX payments_eu_pkey ON public.payments_eu (region, id);
CREATE TABLE public.refunds (
    id integer NOT NULL,
    region text NOT NULL
) PARTITION BY LIST (region);
CREATE TABLE public.refunds_eu PARTITION OF public.refunds FOR VALUES IN ('eu');
ALTER TABLE ONLY public.refunds ADD CONSTRAINT refunds_region_id_key UNIQUE (region, id);
INSERT INTO public.payments VALUES (1, 'eu'), (2, 'eu');
INSERT INTO public.refunds VALUES (1, 'eu');
