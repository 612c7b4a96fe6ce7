CREATE TABLE accounts (
    id integer NOT NULL,
    tier text NOT NULL,
    CONSTRAINT accounts_pkey PRIMARY KEY (tier, id)
) PARTITION BY LIST (tier);
CREATE TABLE accounts_free PARTITION OF accounts FOR VALUES IN ('free');
CREATE TABLE charges (
    id integer,
    tier text,
    account integer,
    CONSTRAINT charges_account_fkey FOREIGN KEY (tier, account) REFERENCES accounts (tier, id)
);
INSERT INTO accounts VALUES (1, 'free');
INSERT INTO charges VALUES (1, 'free', 1);
