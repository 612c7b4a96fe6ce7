-- `items` is to inherit from `base`, which it does not now: it is dropped (rows backed up) and
-- created again `INHERITS (base)`. `books` inherits from `items` and keeps doing so: PostgreSQL
-- drops no table others inherit from, so `books` goes first and comes back after it.
-- `films` leaves `items` instead, keeping its rows and what it had from it.
CREATE TABLE public.base (id integer NOT NULL);
CREATE TABLE public.items (id integer NOT NULL, title text);
CREATE TABLE public.books (isbn text) INHERITS (public.items);
CREATE TABLE public.films (minutes integer) INHERITS (public.items);
INSERT INTO public.items VALUES (1, 'a lamp');
INSERT INTO public.books VALUES (2, 'a novel', '978-0');
INSERT INTO public.films VALUES (3, 'a western', 120);
