-- A generated column reads a column whose type changes (more precision); the generation
-- expression itself stays the same.
CREATE TABLE invoice_lines (
    id integer PRIMARY KEY,
    net numeric(10,2) NOT NULL,
    gross numeric GENERATED ALWAYS AS (net * 1.2) STORED
);
INSERT INTO invoice_lines (id, net) VALUES (1, 10.00), (2, 99.99);
