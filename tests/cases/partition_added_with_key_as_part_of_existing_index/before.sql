-- A new partition whose own primary key is to be its part of a unique index its parent has
-- already: created as a partition, it would get a new index for that part. It is created a
-- plain table with its key (and the parent's check), then attached, which adopts the key's
-- index.
CREATE TABLE public.seats (id int NOT NULL, venue text NOT NULL, CONSTRAINT seats_id_positive CHECK (id > 0))
  PARTITION BY LIST (venue);
CREATE UNIQUE INDEX seats_venue_id ON public.seats (venue, id);
CREATE TABLE public.seats_hall PARTITION OF public.seats FOR VALUES IN ('hall');
INSERT INTO public.seats VALUES (1, 'hall');
