-- A foreign key moves from a plain table to a partitioned one whose unique index is new: the
-- index is built ON ONLY the parent, each partition's index attached, and only then (the
-- parent's index valid) can the foreign key reference it.
CREATE TABLE public.accounts (region text, id integer PRIMARY KEY);
CREATE UNIQUE INDEX accounts_region_id ON public.accounts (region, id);
CREATE TABLE public.accounts_by_region (region text, id integer) PARTITION BY LIST (region);
CREATE TABLE public.accounts_eu PARTITION OF public.accounts_by_region FOR VALUES IN ('eu');
CREATE TABLE public.accounts_us PARTITION OF public.accounts_by_region FOR VALUES IN ('us');
INSERT INTO public.accounts_by_region VALUES ('eu', 1), ('us', 2);
CREATE TABLE public.invoices (account_region text, account_id integer);
INSERT INTO public.invoices VALUES ('eu', 1);
ALTER TABLE public.invoices ADD CONSTRAINT invoices_account_fkey
    FOREIGN KEY (account_region, account_id) REFERENCES public.accounts (region, id) NOT VALID;
