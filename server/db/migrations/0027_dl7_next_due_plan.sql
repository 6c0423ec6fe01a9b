-- Issue 15, the history trigger's cost (branch dl7): assignments_refresh_next_due (migration
-- perf2_next_due_trigger) read its transition table with `a.id IN (SELECT … FROM changed_deadlines)`.
-- PL/pgSQL plans a trigger's statements once per session and keeps the plan; the plan is made for
-- the first statement's transition table and the tables' sizes then (one row; a nearly empty
-- assignments table, never analysed on PGlite, which has no autovacuum), so a later statement of
-- 90,000 deadline rows was joined to the whole assignments table: each batch of the benchmark's
-- load read everything the earlier batches wrote (the load grew about n^1.6). The assignments
-- concerned are now gathered first into an array, and both statements look them up by primary key
-- (`= ANY(ids)`, `unnest(ids)`). The function keeps one generic plan (plan_cache_mode: not planned
-- again at each call, as a statement with a parameter otherwise would be) made with sequential scans
-- off, so that plan is an index plan even when it is made on a nearly empty table: right at any
-- size. Same locks in the same order (id order) before the read, same fresh snapshot for the
-- minimum, same values.
CREATE OR REPLACE FUNCTION assignments_refresh_next_due() RETURNS trigger LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
DECLARE
  ids text[];
BEGIN
  ids := ARRAY(SELECT DISTINCT c.assignment_id FROM changed_deadlines c
               WHERE c.assignment_id IS NOT NULL AND c.workflow = 'assignment' ORDER BY 1);
  IF cardinality(ids) = 0 THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM assignments a WHERE a.id = ANY (ids) ORDER BY a.id FOR UPDATE;
  UPDATE assignments a SET next_due_at = n.due
  FROM (
    SELECT c.id,
      (SELECT min(d.due_at) FROM deadlines d
        WHERE d.assignment_id = c.id AND d.status = 'pending' AND d.workflow = 'assignment') AS due
    FROM unnest(ids) AS c(id)
  ) n
  WHERE a.id = n.id AND a.next_due_at IS DISTINCT FROM n.due;
  RETURN NULL;
END $$;
