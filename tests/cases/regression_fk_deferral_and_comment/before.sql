CREATE TABLE parents (id int PRIMARY KEY);
CREATE TABLE children (id int PRIMARY KEY, parent_id int CONSTRAINT children_parent_fkey REFERENCES parents);
