-- Issue 15, the history trigger's cost (branch dl7): assignments_refresh_next_due (migration
-- perf2_next_due_trigger) read its transition table with `a.id IN (SELECT … FROM changed_deadlines)`.
-- PL/pgSQL plans a trigger's statements once per session and keeps the plan; the plan is made for
-- the first statement's transition table and the tables' sizes then (one row; a nearly empty
-- assignments table, never analysed on PGlite, which has no autovacuum), so a later statement of
-- 90,000 deadline rows was joined to the whole assignments table: each batch of the benchmark's
-- load read everything the earlier batches wrote (the load grew about n^1.6). The assignments
-- concerned are now gathered first into an array, and both statements look them up by primary key
-- (`= ANY(ids)`, `unnest(ids)`): statements with a parameter, which PL/pgSQL plans for the values
-- at hand rather than once for all, and whose plans are index plans at any size. Same locks in the
-- same order (id order) before the read, same fresh snapshot for the minimum, same values.
CREATE OR REPLACE FUNCTION assignments_refresh_next_due() RETURNS trigger LANGUAGE plpgsql AS $$
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
