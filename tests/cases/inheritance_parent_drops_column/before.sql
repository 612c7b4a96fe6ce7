-- A parent with two heirs: the parent drops `legacy`; `books` keeps it as its own column,
-- `films` drops it too (its values are backed up), and `items` gains a column both heirs get.
CREATE TABLE public.items (
    id integer NOT NULL,
    title text NOT NULL,
    legacy text
);
CREATE TABLE public.books (isbn text NOT NULL) INHERITS (public.items);
CREATE TABLE public.films (minutes integer) INHERITS (public.items);
INSERT INTO public.items VALUES (1, 'a lamp', 'L1');
INSERT INTO public.books VALUES (2, 'a novel', 'B1', '978-0');
INSERT INTO public.films VALUES (3, 'a western', 'F1', 120);
