-- Orders partitioned by year; 2024 is itself partitioned by region. Created from nothing except
-- an unrelated table.
CREATE TABLE regions (code text PRIMARY KEY);
INSERT INTO regions VALUES ('eu'), ('us');
