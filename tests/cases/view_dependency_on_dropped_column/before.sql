CREATE TABLE employees (
    id integer PRIMARY KEY,
    full_name text NOT NULL,
    fax_number text,
    department text NOT NULL
);
INSERT INTO employees VALUES (1, 'Grace Hopper', '555-0100', 'R&D'), (2, 'Alan Kay', NULL, 'R&D');

CREATE VIEW employee_directory AS
    SELECT id, full_name, fax_number, department FROM employees;
CREATE VIEW rnd_directory AS
    SELECT id, full_name FROM employee_directory WHERE department = 'R&D';
-- Reads the dropped column only in its WHERE clause.
CREATE VIEW faxable_employees AS
    SELECT id, full_name FROM employees WHERE fax_number IS NOT NULL;
