CREATE TABLE public.t (id int);
INSERT INTO public.t VALUES (1);
