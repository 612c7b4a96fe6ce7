CREATE TABLE public.customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL
);
INSERT INTO public.customers (name) VALUES ('Acme'), ('Globex');

-- An import area that shrinks: the desired state keeps the schema and one table.
CREATE SCHEMA staging;
COMMENT ON SCHEMA staging IS 'Raw imports';
CREATE TYPE staging.import_state AS ENUM ('new', 'parsed', 'failed');
CREATE SEQUENCE staging.batch_seq START 100;
CREATE TABLE staging.batches (
    id bigint PRIMARY KEY DEFAULT nextval('staging.batch_seq'),
    state staging.import_state NOT NULL DEFAULT 'new',
    received_at timestamp with time zone NOT NULL DEFAULT now()
);
ALTER SEQUENCE staging.batch_seq OWNED BY staging.batches.id;
CREATE TABLE staging.customer_rows (
    batch_id bigint NOT NULL REFERENCES staging.batches (id) ON DELETE CASCADE,
    line integer NOT NULL,
    payload jsonb NOT NULL,
    PRIMARY KEY (batch_id, line)
);
CREATE TABLE staging.files (
    name text PRIMARY KEY,
    size bigint NOT NULL
);
CREATE VIEW staging.failed_batches AS
    SELECT id, received_at FROM staging.batches WHERE state = 'failed';
INSERT INTO staging.files VALUES ('customers.csv', 1024);
INSERT INTO staging.batches (state) VALUES ('parsed'), ('failed');
INSERT INTO staging.customer_rows VALUES (100, 1, '{"name": "Acme"}');
