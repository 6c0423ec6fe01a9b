-- Issue 15, the PGlite load at 100,000 (branch scale8): assignments_refresh_next_due as migration
-- dl7_next_due_plan wrote it, now planned for the values at hand at every call. dl7 counted on its two
-- statements with a parameter (`= ANY (ids)`, `unnest(ids)`) being planned for each call's array; but
-- PostgreSQL's plan cache plans a statement with parameters for its values only for its first five
-- runs, then builds one generic plan (for an array of unknown size, on the tables as they are at that
-- moment) and keeps it as soon as that plan's estimated cost is no more than the average of the
-- custom ones. On an installation's first events (a handful of deadlines) the generic plan is made on
-- nearly empty tables: a sequential scan of `deadlines` for each assignment's minimum, the cheapest
-- plan there. Once a large statement (the scale bench's first batch of 90,000 deadline rows) raises
-- the average of the custom plans, the generic plan is chosen and kept: the second batch of 10,000
-- assignments scanned every deadline once per assignment (it did not finish in ten minutes). PGlite
-- never analyses a table, so nothing ever replaces that plan. plan_cache_mode = force_custom_plan on
-- the function (a setting of the function, restored when it returns) plans both statements at each
-- call with the array at hand and the tables' sizes then; the body is unchanged.
CREATE OR REPLACE FUNCTION assignments_refresh_next_due() RETURNS trigger LANGUAGE plpgsql
SET plan_cache_mode = force_custom_plan AS $$
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
