-- A parent renamed (`renamed_from`): the table that inherits from it follows, and is neither
-- created again nor told to change its parents.
CREATE TABLE public.items (id integer NOT NULL, title text, CONSTRAINT items_title_check CHECK (title <> ''));
CREATE TABLE public.books (isbn text) INHERITS (public.items);
INSERT INTO public.items VALUES (1, 'a lamp');
INSERT INTO public.books VALUES (2, 'a novel', '978-0');
