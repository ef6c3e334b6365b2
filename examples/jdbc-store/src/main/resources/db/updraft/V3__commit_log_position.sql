-- On embedded H2, commits are made durable by the store's own commit log (a file beside the
-- database), and the database reaches the disk at its own pace. Each commit writes its number here
-- in its own transaction, so the database says which logged commits it holds: when it opens, the
-- store replays the logged commits after that one. Unused on PostgreSQL, which is durable itself.
CREATE TABLE updraft_commit_log_position (
  id INT NOT NULL PRIMARY KEY,
  last_commit BIGINT NOT NULL
);

INSERT INTO updraft_commit_log_position (id, last_commit) VALUES (1, 0);
