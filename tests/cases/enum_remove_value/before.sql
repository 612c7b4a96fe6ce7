CREATE TYPE task_state AS ENUM ('todo', 'doing', 'blocked', 'done');
CREATE TABLE tasks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title text NOT NULL,
    state task_state NOT NULL DEFAULT 'todo',
    past_states task_state[] NOT NULL DEFAULT '{}'::task_state[]
);
CREATE INDEX tasks_unfinished_idx ON tasks (id) WHERE state <> 'done';
CREATE VIEW active_tasks AS
    SELECT id, title, state FROM tasks WHERE state IN ('todo', 'doing');
INSERT INTO tasks (title, state, past_states) VALUES
    ('Write spec', 'done', '{todo,doing}'),
    ('Review', 'doing', '{todo}'),
    ('Deploy', 'todo', '{}');
