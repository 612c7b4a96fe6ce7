CREATE TABLE tickets (
    id integer,
    queue text
) PARTITION BY LIST (queue);
CREATE TABLE tickets_support PARTITION OF tickets FOR VALUES IN ('support');
CREATE TABLE tickets_sales PARTITION OF tickets FOR VALUES IN ('sales');
CREATE TABLE tickets_ops PARTITION OF tickets FOR VALUES IN ('ops');
ALTER TABLE tickets ENABLE ROW LEVEL SECURITY;
ALTER TABLE tickets FORCE ROW LEVEL SECURITY;
ALTER TABLE tickets_support FORCE ROW LEVEL SECURITY;
ALTER TABLE tickets_sales ENABLE ROW LEVEL SECURITY;
