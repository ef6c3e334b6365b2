-- PostgreSQL only: a commit's changes applied by one call, so that a commit costs one round trip
-- (JdbcStore's class comment has the design and its measurements).
--
-- The changes come as parallel arrays, sorted by (record type, record key) so that concurrent
-- commits take their row locks in one order. kinds: 'I' insert, 'U' update, 'D' delete, 'C' check.
-- expected: the version an update, delete or check requires (ignored for an insert). The index
-- entries to remove and add come computed by the caller, which knows every index and the record
-- each update replaces.
--
-- A version check that fails raises SQLSTATE UD001 with the message 'updraft-conflict <n> <why>',
-- n the change's place in the arrays (from 1): the caller reports a conflict naming that record,
-- and the transaction is rolled back.
--
-- Read committed suffices: an UPDATE or DELETE that finds its row changed by a concurrent commit
-- waits for it, then evaluates its WHERE against the new version (which fails the version check);
-- a check locks the row it checks (FOR SHARE) until the end of the transaction, so a concurrent
-- update of it waits, and checks of one row by many commits do not wait for each other. Inserts use
-- ON CONFLICT DO NOTHING and count what they inserted (no subtransaction per insert).
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
  added_key TEXT[]
) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  i INT;
  inserts INT := 0;
  inserted BIGINT;
  first_insert INT := 0;
BEGIN
  FOR i IN 1 .. coalesce(array_length(kinds, 1), 0) LOOP
    IF kinds[i] = 'U' THEN
      UPDATE updraft_record SET version = versions[i], body = bodies[i]
        WHERE record_type = types[i] AND record_key = keys[i] AND version = expected[i];
    ELSIF kinds[i] = 'D' THEN
      DELETE FROM updraft_record
        WHERE record_type = types[i] AND record_key = keys[i] AND version = expected[i];
    ELSIF kinds[i] = 'C' THEN
      PERFORM 1 FROM updraft_record
        WHERE record_type = types[i] AND record_key = keys[i] AND version = expected[i]
        FOR SHARE;
    ELSE
      inserts := inserts + 1;
      IF first_insert = 0 THEN
        first_insert := i;
      END IF;
      CONTINUE;
    END IF;
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'UD001',
        MESSAGE = 'updraft-conflict ' || i || ' is missing or not at version ' || expected[i];
    END IF;
  END LOOP;
  IF inserts > 0 THEN
    INSERT INTO updraft_record (record_type, record_key, version, body)
      SELECT t, k, v, b FROM unnest(kinds, types, keys, versions, bodies) AS c(kind, t, k, v, b)
      WHERE kind = 'I'
      ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS inserted = ROW_COUNT;
    IF inserted < inserts THEN
      RAISE EXCEPTION USING ERRCODE = 'UD001',
        MESSAGE = 'updraft-conflict ' || first_insert || ' exists' || CASE WHEN inserts > 1
          THEN ' (it or another of ' || inserts || ' inserts)' ELSE '' END;
    END IF;
  END IF;
  IF coalesce(array_length(gone_index, 1), 0) > 0 THEN
    DELETE FROM updraft_index_entry e
      USING unnest(gone_index, gone_partition, gone_sort, gone_key) AS g(i, p, s, k)
      WHERE e.index_name = g.i AND e.partition_key = g.p AND e.sort_key = g.s
        AND e.record_key = g.k;
  END IF;
  IF coalesce(array_length(added_index, 1), 0) > 0 THEN
    INSERT INTO updraft_index_entry (index_name, partition_key, sort_key, record_key)
      SELECT * FROM unnest(added_index, added_partition, added_sort, added_key);
  END IF;
END;
$$;
