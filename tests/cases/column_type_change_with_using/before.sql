-- A smallint code becomes an enum: no cast exists between them, so the desired state says how
-- values convert (`using: { up, down }`), as Lemmy 0.18 did with `USING CASE …`.
CREATE TABLE public.posts (
    id integer PRIMARY KEY,
    state smallint NOT NULL DEFAULT 0,
    title text NOT NULL
);
INSERT INTO public.posts VALUES (1, 0, 'draft one'), (2, 1, 'live one'), (3, 2, 'old one');
