-- A parent renamed (`renamed_from`): the table that inherits from it follows, and is neither
-- created again nor told to change its parents. Its check is renamed too, which renames the
-- heir's copy (and locks the heir); on PostgreSQL 18 so does the rename of its NOT NULL, which
-- the heir has from it and cannot rename itself.
CREATE TABLE public.items (id integer NOT NULL, title text, CONSTRAINT items_title_check CHECK (title <> ''));
CREATE TABLE public.books (isbn text) INHERITS (public.items);
INSERT INTO public.items VALUES (1, 'a lamp');
INSERT INTO public.books VALUES (2, 'a novel', '978-0');
