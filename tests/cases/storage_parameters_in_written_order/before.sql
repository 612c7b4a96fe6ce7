-- Storage parameters keep the order they are written in: pg_dump prints them so. The target's
-- table and index have the same parameters as the desired ones in another order: they are reset
-- and set again in the desired order (no rebuild).
CREATE TABLE public.entries (id bigint NOT NULL, body text, kind text)
    WITH (autovacuum_enabled = false, fillfactor = 80);
CREATE INDEX entries_kind_idx ON public.entries (kind) WITH (fillfactor = 90, deduplicate_items = on);
