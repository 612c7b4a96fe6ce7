-- A partition becomes a table of its own with its own numbering and its own copy of the
-- parent's trigger. Detaching keeps the parent's default (nextval of the parent's sequence),
-- so the table's default is changed after the detach; the detach drops the clone of the
-- parent's trigger, so the table's own trigger of that name is created after it.
CREATE FUNCTION public.stamp_reading() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN
    NEW.taken_at := now();
    RETURN NEW;
END
$$;
CREATE TABLE public.readings (
    id serial NOT NULL,
    sensor text NOT NULL,
    taken_at timestamptz
) PARTITION BY LIST (sensor);
CREATE TRIGGER readings_stamp BEFORE INSERT OR UPDATE ON public.readings
    FOR EACH ROW EXECUTE FUNCTION public.stamp_reading();
CREATE TABLE public.readings_roof PARTITION OF public.readings FOR VALUES IN ('roof');
CREATE TABLE public.readings_cellar PARTITION OF public.readings FOR VALUES IN ('cellar');
INSERT INTO public.readings (sensor) VALUES ('roof'), ('roof'), ('cellar');
