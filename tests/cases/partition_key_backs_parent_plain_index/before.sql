-- A partition gains a primary key of its own, and its parent a unique index over the same
-- columns whose part on the partition is that key's index (index_names pins it): the key is
-- added, the parent's index created ON ONLY and the key's index attached, not a second index
-- built. Undoing drops the parent's index with the key (PostgreSQL drops neither alone) and
-- adds the key again.
CREATE TABLE public.bookings (id int NOT NULL, venue text NOT NULL) PARTITION BY LIST (venue);
CREATE TABLE public.bookings_hall PARTITION OF public.bookings FOR VALUES IN ('hall');
INSERT INTO public.bookings VALUES (1, 'hall'), (2, 'hall');
