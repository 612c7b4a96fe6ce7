-- Reserved words, mixed case, spaces, embedded quotes, backslashes and unicode as names.
CREATE SCHEMA "order";
CREATE TYPE "order"."Status" AS ENUM ('new', 'it''s open', 'back\slash');
CREATE TABLE "order"."user" (
    "select" integer PRIMARY KEY,
    "group" text NOT NULL,
    "first name" varchar(50),
    "Status" "order"."Status" NOT NULL DEFAULT 'new'
);
CREATE INDEX "from" ON "order"."user" ("group");

CREATE TABLE public."Users" (
    "ID" integer PRIMARY KEY,
    "Name" text,
    "say ""hi""" text,
    CONSTRAINT "Users ""Name"" check" CHECK ("Name" <> '')
);

CREATE TABLE public.événement (
    id integer PRIMARY KEY,
    "日本" text,
    "user" integer REFERENCES "order"."user" ("select")
);

INSERT INTO "order"."user" VALUES (1, 'admins', 'Zoë', 'it''s open'), (2, 'users', NULL, 'back\slash');
INSERT INTO public."Users" VALUES (1, 'Ann', 'hello "there"');
INSERT INTO public.événement VALUES (1, '東京', 1);
