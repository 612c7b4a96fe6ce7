-- Seed 000's legacy wedding database with a few hundred rows; the desired state is the example
-- schema (schema/), whose hooks move the data into the generic event tables.
\ir ../../../schema/legacy/wedding.sql
SET wedding.invitations = 40;
SET wedding.guests = 300;
SET wedding.templates = 6;
\ir ../../../scripts/wedding_data.sql
RESET wedding.invitations;
RESET wedding.guests;
RESET wedding.templates;
