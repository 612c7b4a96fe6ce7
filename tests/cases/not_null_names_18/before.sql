-- PostgreSQL 18 makes each NOT NULL a constraint with a name, which renaming a table or a
-- column does not change, and which a partition takes from its parent. The plan renames them
-- where the desired state names them otherwise: after a table and a column are renamed, where
-- `not_null_names` pins a name (or stops pinning one), after a partition is detached, and
-- before a table is attached (an attached partition's cannot be renamed).
CREATE TABLE public.orders (id int NOT NULL, customer text NOT NULL, note text);
CREATE TABLE public.items (id int CONSTRAINT items_id_required NOT NULL, qty int NOT NULL);
CREATE TABLE public.events (id int NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE public.events_2025 PARTITION OF public.events
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.events_2026 (id int NOT NULL, at date NOT NULL);
INSERT INTO public.orders VALUES (1, 'ada', NULL), (2, 'bob', 'gift');
INSERT INTO public.items VALUES (1, 3);
INSERT INTO public.events VALUES (1, '2025-03-01');
INSERT INTO public.events_2026 VALUES (2, '2026-03-01');
