CREATE TABLE project_roles (id bigint PRIMARY KEY, variant_name text, daily_rate integer);
INSERT INTO project_roles SELECT g, CASE WHEN g % 4 = 0 THEN NULL ELSE 'band' END, 100 + g
  FROM generate_series(1, 120) g;
