-- PostgreSQL 18's NOT NULL constraints: NOT VALID and NO INHERIT read, kept and changed.
-- A column of a table in use becomes NOT NULL without a helper check: the constraint is added
-- NOT VALID and validated (no scan under ACCESS EXCLUSIVE). One becomes NOT NULL and stays
-- NOT VALID, one NOT VALID is validated, one is made NO INHERIT; a new table has a NOT VALID
-- and a NO INHERIT NOT NULL. Two NOT NULLs get names of their own: one made online, one of a
-- column added with a default.
CREATE TABLE public.accounts (
    id int NOT NULL,
    email text,
    handle text,
    region text,
    plan text NOT NULL
);
ALTER TABLE public.accounts ADD CONSTRAINT accounts_region_not_null NOT NULL region NOT VALID;
CREATE TABLE public.kept (id int NOT NULL, note text);
ALTER TABLE public.kept ADD CONSTRAINT kept_note_pending NOT NULL note NOT VALID;
INSERT INTO public.accounts VALUES (1, 'a@example.com', 'ada', 'eu', 'free'),
    (2, 'b@example.com', 'bob', 'us', 'pro');
INSERT INTO public.kept VALUES (1, 'x');
