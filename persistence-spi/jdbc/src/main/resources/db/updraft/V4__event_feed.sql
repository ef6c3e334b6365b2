-- The event feed (UpdraftStore#events), a transactional outbox: each commit's events are stored in
-- the commit's transaction, so a crash never keeps one without the other. updraft_event holds the
-- numbered events: position is an event's place in the feed, body the event as JSON, in
-- RecordCodec's format. On embedded H2 a commit, taking its turn, numbers its events and inserts
-- them here; on PostgreSQL they wait unnumbered until a reader numbers them (migration V5).
-- updraft_event_head holds the last position given, so that positions go on after every event was
-- trimmed (on H2, as of the last trim: the newest event holds it meanwhile).

CREATE TABLE updraft_event (
  position BIGINT PRIMARY KEY,
  body TEXT NOT NULL
);

CREATE TABLE updraft_event_head (
  id INT PRIMARY KEY,
  last_position BIGINT NOT NULL
);

INSERT INTO updraft_event_head (id, last_position) VALUES (1, 0);
