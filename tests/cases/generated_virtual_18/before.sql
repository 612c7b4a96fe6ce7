CREATE TABLE order_lines (
    id integer PRIMARY KEY,
    price numeric(10,2) NOT NULL,
    quantity integer NOT NULL,
    -- Its expression changes: SET EXPRESSION, in place (nothing stored, nothing rewritten).
    total numeric GENERATED ALWAYS AS (price * quantity) VIRTUAL,
    -- Stored, becomes virtual: dropped and added again.
    label text GENERATED ALWAYS AS ('#' || id::text) STORED,
    -- Retyped: no stored value to convert, no rewrite.
    tripled integer GENERATED ALWAYS AS (quantity * 3) VIRTUAL
);
INSERT INTO order_lines (id, price, quantity) VALUES (1, 9.99, 3), (2, 100.00, 1);
-- Reads the column whose expression changes: stays as it is (SET EXPRESSION keeps its readers).
CREATE VIEW line_totals AS SELECT id, total FROM order_lines;
