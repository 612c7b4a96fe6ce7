-- Tables change the tables they inherit from. `logins` stops inheriting from `events`: what
-- it had from it (columns, the check) becomes its own, rows and all, and it drops one of those
-- columns after (values backed up). `refunds` keeps `events` and leaves `notes`, keeping its
-- column. `old_logins` leaves
-- `legacy`, which is dropped after. `audit`, a table of its own, is to inherit from `events`:
-- PostgreSQL's INHERIT would leave the parent's columns declared by it too, so it is dropped
-- (rows backed up) and created again.
CREATE TABLE public.events (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    kind text NOT NULL,
    CONSTRAINT events_kind_check CHECK (kind <> '')
);
CREATE TABLE public.notes (note text);
CREATE TABLE public.legacy (id integer NOT NULL, source text);
CREATE TABLE public.logins (user_name text NOT NULL) INHERITS (public.events);
CREATE TABLE public.refunds (cents integer NOT NULL) INHERITS (public.events, public.notes);
CREATE TABLE public.old_logins (user_name text) INHERITS (public.legacy);
CREATE TABLE public.audit (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    kind text NOT NULL,
    what text,
    CONSTRAINT events_kind_check CHECK (kind <> '')
);
INSERT INTO public.events VALUES (1, '2024-01-01', 'plain');
INSERT INTO public.logins VALUES (2, '2024-01-02', 'login', 'ann');
INSERT INTO public.refunds VALUES (3, '2024-01-03', 'refund', 'late', 250);
INSERT INTO public.old_logins VALUES (4, 'import', 'bob');
INSERT INTO public.audit VALUES (5, '2024-01-05', 'audit', 'checked');
