-- Index names at PostgreSQL's 63-byte limit, alike in their first 62 bytes, and one in
-- two-byte characters: each is rebuilt under a temporary name that must fit as written and
-- be unique, or the rename after the concurrent build names nothing.
CREATE TABLE commits (
    id bigint PRIMARY KEY,
    merge_request_diff_id bigint NOT NULL,
    relative_order integer NOT NULL,
    sha text
);
CREATE INDEX index_merge_request_diff_commits_on_merge_request_diff_id_and_x ON commits (merge_request_diff_id);
CREATE INDEX index_merge_request_diff_commits_on_merge_request_diff_id_and_y ON commits (relative_order);
CREATE INDEX "ééééééééééééééééééééééééééééééé" ON commits (sha);
INSERT INTO commits SELECT g, g % 10, g, md5(g::text) FROM generate_series(1, 200) AS g;
