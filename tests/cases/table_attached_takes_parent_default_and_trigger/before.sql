-- A table of its own, numbered by its own sequence and with its own trigger, becomes a
-- partition. Attaching keeps the table's default, so it is changed to the parent's before the
-- attach (the table's sequence can then go); attaching clones the parent's trigger and refuses
-- a table that has one of that name, so the table's own is dropped before the attach.
CREATE FUNCTION public.stamp_order() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN
    NEW.touched_at := now();
    RETURN NEW;
END
$$;
CREATE TABLE public.orders (
    id serial NOT NULL,
    shop text NOT NULL,
    touched_at timestamptz
) PARTITION BY LIST (shop);
CREATE TRIGGER orders_stamp BEFORE UPDATE ON public.orders
    FOR EACH ROW EXECUTE FUNCTION public.stamp_order();
CREATE TABLE public.orders_web PARTITION OF public.orders FOR VALUES IN ('web');
CREATE TABLE public.orders_store (
    id serial NOT NULL,
    shop text NOT NULL,
    touched_at timestamptz
);
CREATE TRIGGER orders_stamp BEFORE UPDATE ON public.orders_store
    FOR EACH ROW EXECUTE FUNCTION public.stamp_order();
INSERT INTO public.orders (shop) VALUES ('web'), ('web');
INSERT INTO public.orders_store (shop) VALUES ('store');
