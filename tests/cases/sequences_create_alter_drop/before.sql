CREATE SEQUENCE order_number START WITH 1000 MINVALUE 1000 MAXVALUE 9999999 CACHE 1;
SELECT nextval('order_number'), nextval('order_number');
CREATE SEQUENCE ticket_number AS integer INCREMENT BY 2;
CREATE SEQUENCE batch_counter AS smallint MAXVALUE 1000 CYCLE;
CREATE SEQUENCE retired_counter START WITH 5;
