-- A partition's primary key was added USING the index attached to its parent's plain unique
-- index; the parent now gets a primary key of its own over the same columns. PostgreSQL drops
-- neither the parent's index (the partition's key needs its part) nor the partition's key (its
-- index is the parent index's part): the parent's index is dropped CASCADE, taking the key
-- along, and the parent's key then builds the partitions' keys. Undoing adds the partition's key
-- back first, so that creating the parent's index again attaches its index.
CREATE TABLE public.bookings (id int NOT NULL, venue text NOT NULL) PARTITION BY LIST (venue);
CREATE TABLE public.bookings_hall PARTITION OF public.bookings FOR VALUES IN ('hall');
CREATE TABLE public.bookings_yard PARTITION OF public.bookings FOR VALUES IN ('yard');
CREATE UNIQUE INDEX bookings_venue_id ON public.bookings (venue, id);
ALTER TABLE public.bookings_hall ADD CONSTRAINT bookings_hall_pkey
    PRIMARY KEY USING INDEX bookings_hall_venue_id_idx;
INSERT INTO public.bookings VALUES (1, 'hall'), (2, 'hall'), (3, 'yard');
