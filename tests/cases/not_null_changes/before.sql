CREATE TABLE customers (
    id bigint PRIMARY KEY,
    email text,
    phone varchar(30) NOT NULL,
    country char(2) DEFAULT 'US',
    signup_date date NOT NULL DEFAULT CURRENT_DATE,
    notes text NOT NULL
);
INSERT INTO customers (id, email, phone, country, notes) VALUES
    (1, 'ann@example.com', '+1 555 0100', 'US', ''),
    (2, 'bob@example.com', '+44 20 7946 0000', 'GB', 'vip');
