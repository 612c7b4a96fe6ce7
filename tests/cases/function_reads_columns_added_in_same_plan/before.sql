-- A SQL procedure and function whose new bodies read columns and a sequence added by the same
-- plan: PostgreSQL checks a SQL body when it is created, so they are replaced after them.
CREATE TABLE members ();
CREATE PROCEDURE add_member(who text) LANGUAGE sql AS $$ INSERT INTO members DEFAULT VALUES $$;
CREATE FUNCTION member_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM members $$;
