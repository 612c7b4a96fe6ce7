SET TimeZone = 'America/New_York';
CREATE TABLE bookings (
    id bigint PRIMARY KEY,
    starts_at timestamptz DEFAULT '2024-03-10 01:30:00-05',
    ends_at timestamp DEFAULT '2024-03-10 03:30:00',
    day date DEFAULT '2024-03-10',
    span interval DEFAULT '1 day 2 hours',
    ratio double precision DEFAULT 0.1,
    weight real DEFAULT 1.1
);
