CREATE TABLE daily_stats (
    id bigserial NOT NULL,
    project_id bigint NOT NULL,
    day date NOT NULL,
    fetches integer NOT NULL DEFAULT 0,
    PRIMARY KEY (id)
);
CREATE INDEX daily_stats_project_idx ON daily_stats (project_id);
CREATE VIEW recent_stats AS SELECT project_id, day, fetches FROM daily_stats WHERE day > DATE '2024-01-01';
INSERT INTO daily_stats (project_id, day, fetches) VALUES (1, '2024-01-05', 3), (2, '2024-02-01', 7);
