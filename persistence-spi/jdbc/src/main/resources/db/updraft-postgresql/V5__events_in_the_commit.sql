-- PostgreSQL only: the event feed's writes (its tables are migration V4's).
--
-- A commit's events wait unnumbered in updraft_event_pending, which has no index, so that the
-- commit's insert writes the table only: with an index on it, and its events numbered in place,
-- the load test's rollout lost 22 to 29 % of its pace. updraft_commit gains the commit's events: it
-- applies the changes as before (V3), then inserts the events, in the same transaction, so a commit
-- stays one round trip.
--
-- updraft_sequence_events numbers committed events: it locks the head row (SKIP LOCKED: a reader
-- that finds another numbering goes on with what is numbered), moves up to `most` pending events,
-- in insertion order (seq, taken when the commit inserts), to updraft_event at the next positions,
-- and moves the head, in one transaction. Numberings take turns on the head row and each sees the
-- ones before it, so positions are given without a gap and become visible in order. Insertion
-- order follows the order of commits that depend on each other: a commit reads what it depends on
-- before it inserts, so after the other committed, and it is seen by a numbering only with the
-- other. Pending events stay few: every read of the feed, and every sweep, numbers them.

CREATE TABLE updraft_event_pending (
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  body TEXT NOT NULL
);

CREATE FUNCTION updraft_commit(
  kinds TEXT[],
  types TEXT[],
  keys TEXT[],
  expected BIGINT[],
  versions BIGINT[],
  bodies TEXT[],
  gone_index TEXT[],
  gone_partition TEXT[],
  gone_sort TEXT[],
  gone_key TEXT[],
  added_index TEXT[],
  added_partition TEXT[],
  added_sort TEXT[],
  added_key TEXT[],
  events TEXT[]
) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  PERFORM updraft_commit(kinds, types, keys, expected, versions, bodies, gone_index,
    gone_partition, gone_sort, gone_key, added_index, added_partition, added_sort, added_key);
  IF coalesce(array_length(events, 1), 0) > 0 THEN
    INSERT INTO updraft_event_pending (body)
      SELECT e FROM unnest(events) WITH ORDINALITY AS u(e, n) ORDER BY n;
  END IF;
END;
$$;

CREATE FUNCTION updraft_sequence_events(most INT) RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
  last BIGINT;
  numbered BIGINT;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM updraft_event_pending) THEN
    SELECT last_position INTO last FROM updraft_event_head WHERE id = 1;
    RETURN last;
  END IF;
  SELECT last_position INTO last FROM updraft_event_head WHERE id = 1 FOR UPDATE SKIP LOCKED;
  IF NOT FOUND THEN
    SELECT last_position INTO last FROM updraft_event_head WHERE id = 1;
    RETURN last;
  END IF;
  WITH taken AS (
    DELETE FROM updraft_event_pending
      WHERE seq IN (SELECT seq FROM updraft_event_pending ORDER BY seq LIMIT most)
      RETURNING seq, body)
  INSERT INTO updraft_event (position, body)
    SELECT last + row_number() OVER (ORDER BY seq), body FROM taken;
  GET DIAGNOSTICS numbered = ROW_COUNT;
  UPDATE updraft_event_head SET last_position = last + numbered WHERE id = 1;
  RETURN last + numbered;
END;
$$;
