-- Names at the 63-byte limit, names that differ only in case, names with dots, and two
-- objects whose dotted display names coincide ("x.y".z and x."y.z").
CREATE SCHEMA "x.y";
CREATE SCHEMA x;
CREATE TYPE x."Level" AS ENUM ('low', 'mid', 'high');
CREATE TYPE x.level AS ENUM ('a', 'b');
CREATE TABLE "x.y".z (
    id integer PRIMARY KEY,
    lvl x."Level" NOT NULL DEFAULT 'low'
);
CREATE TABLE x."y.z" (
    id integer PRIMARY KEY,
    lvl x.level,
    "Lvl" x."Level",
    z_id integer REFERENCES "x.y".z (id)
);
CREATE INDEX idx ON "x.y".z (lvl);
CREATE INDEX idx ON x."y.z" (lvl);
CREATE TYPE public.subscription_lifecycle_state_for_customer_billing_and_invoicing AS ENUM ('trial', 'active', 'paused', 'cancelled');
CREATE TABLE public.customer_subscription_billing_period_adjustment_history_records (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    state public.subscription_lifecycle_state_for_customer_billing_and_invoicing NOT NULL DEFAULT 'trial',
    "State" text
);
CREATE TABLE public."Orders" (id integer PRIMARY KEY);
CREATE TABLE public.orders (id integer PRIMARY KEY, "Orders_id" integer REFERENCES public."Orders" (id));
INSERT INTO "x.y".z VALUES (1, 'high'), (2, 'low');
INSERT INTO x."y.z" VALUES (1, 'a', 'high', 1);
INSERT INTO public.customer_subscription_billing_period_adjustment_history_records (state) VALUES ('active'), ('cancelled');
