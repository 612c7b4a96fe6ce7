CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, email text);
INSERT INTO users SELECT g, 'User ' || g, CASE WHEN g % 3 = 0 THEN NULL ELSE 'u' || g || '@Example.com' END
  FROM generate_series(1, 250) g;
