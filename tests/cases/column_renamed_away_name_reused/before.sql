-- A column renamed away from a name that a new column then takes, as Ory Hydra v2.0 did
-- (`pk` → `pk_deprecated`, and a new `pk` of type uuid): the rename runs first, the values
-- stay with the renamed column.
CREATE TABLE public.clients (
    pk integer NOT NULL,
    name text NOT NULL
);
INSERT INTO public.clients VALUES (1, 'web'), (2, 'cli');
