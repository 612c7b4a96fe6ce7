-- A unique index created ON ONLY a partitioned table with no part attached, beside a
-- partition's primary key of the same columns: the desired state has the table's primary key
-- under the index's name instead, which the partition's key becomes part of.
CREATE TABLE public.ledger (
    id integer NOT NULL,
    book text NOT NULL
) PARTITION BY LIST (book);
CREATE TABLE public.ledger_main PARTITION OF public.ledger FOR VALUES IN ('main');
CREATE UNIQUE INDEX ledger_pkey ON ONLY public.ledger (book, id);
ALTER TABLE public.ledger_main ADD CONSTRAINT ledger_main_pkey PRIMARY KEY (book, id);
INSERT INTO public.ledger VALUES (1, 'main'), (2, 'main');
