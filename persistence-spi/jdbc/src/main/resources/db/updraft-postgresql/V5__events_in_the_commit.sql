-- PostgreSQL only: the event feed's writes (the table is migration V4's).
--
-- updraft_commit gains the commit's events: it applies the changes as before (V3), then inserts the
-- events, unnumbered, in the same transaction, so a commit stays one round trip.
--
-- updraft_sequence_events numbers committed events: it locks the head row (SKIP LOCKED: a reader
-- that finds another numbering goes on with what is numbered), gives the next positions to up to
-- `most` unnumbered events in insertion order, and moves the head, in one transaction. Numberings
-- take turns on the head row and each sees the ones before it, so positions are given without a
-- gap, and become visible in order. Insertion order (seq, taken when the commit inserts) follows
-- the order of commits that depend on each other: a commit reads what it depends on before it
-- inserts, so after the other committed, and it is seen by the numbering only with the other.

-- A commit's insert writes one index entry per event: numbered events are indexed by position
-- (reads, trims), unnumbered ones by seq (numbering), and nothing else (the load test's rollout
-- lost 29 % of its pace when an insert also wrote a primary key and a position index entry).
DROP INDEX updraft_event_by_position;
CREATE UNIQUE INDEX updraft_event_by_position ON updraft_event (position)
  WHERE position IS NOT NULL;
CREATE INDEX updraft_event_unnumbered ON updraft_event (seq) WHERE position IS NULL;

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
    INSERT INTO updraft_event (body)
      SELECT e FROM unnest(events) WITH ORDINALITY AS u(e, n) ORDER BY n;
  END IF;
END;
$$;

CREATE FUNCTION updraft_sequence_events(most INT) RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
  last BIGINT;
  numbered BIGINT;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM updraft_event WHERE position IS NULL) THEN
    SELECT last_position INTO last FROM updraft_event_head WHERE id = 1;
    RETURN last;
  END IF;
  SELECT last_position INTO last FROM updraft_event_head WHERE id = 1 FOR UPDATE SKIP LOCKED;
  IF NOT FOUND THEN
    SELECT last_position INTO last FROM updraft_event_head WHERE id = 1;
    RETURN last;
  END IF;
  UPDATE updraft_event e SET position = last + p.n
    FROM (SELECT seq, row_number() OVER (ORDER BY seq) AS n FROM updraft_event
          WHERE position IS NULL ORDER BY seq LIMIT most) p
    WHERE e.seq = p.seq AND e.position IS NULL;
  GET DIAGNOSTICS numbered = ROW_COUNT;
  UPDATE updraft_event_head SET last_position = last + numbered WHERE id = 1;
  RETURN last + numbered;
END;
$$;
