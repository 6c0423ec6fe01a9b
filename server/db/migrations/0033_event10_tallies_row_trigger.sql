-- Issue 15, the event path's p99 (tenth session): an assignment's forms and origin — all that
-- assignment_tallies counts — are set when it is ordered and almost never change, yet every event's
-- UPDATE of the assignment ran the statement-level tallies trigger (a PL/pgSQL call and a query over
-- the transition tables that found nothing to add). The UPDATE trigger is now a row trigger that
-- fires only when one of those columns changes: PostgreSQL checks its WHEN before calling anything,
-- so an event pays for no call at all. What it adds is what the statement trigger added for that
-- row, with the same slot. No TVPB code changes these columns after the order; a statement that
-- does for many rows (SQL run by hand, a data-fixing migration) now adds row by row, not once per key
-- in key order: each row's upsert makes another version of the same few tally rows, which grows with
-- the rows changed, and two such statements at once on the same slot could deadlock (PostgreSQL then
-- cancels one). Such a fix should disable this trigger in its transaction and rebuild the tallies with
-- flat6_national_trigger's backfill, or change the rows in batches.
-- INSERT and DELETE keep their statement triggers (migrations flat6_national_trigger, lock9_rollup_slots).
DROP TRIGGER assignments_tallies_update ON assignments;
--> statement-breakpoint
CREATE FUNCTION assignment_tallies_row_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO assignment_tallies AS c (organization_id, dim, code, n, slot)
  SELECT d.organization_id, d.dim, d.code, sum(d.n)::int, rollup_slot() FROM (
    SELECT NEW.organization_id AS organization_id, 'origin' AS dim, NEW.origin AS code, 1 AS n
    UNION ALL SELECT NEW.organization_id, 'form', f, 1 FROM unnest(NEW.forms) f
    UNION ALL SELECT OLD.organization_id, 'origin', OLD.origin, -1
    UNION ALL SELECT OLD.organization_id, 'form', f, -1 FROM unnest(OLD.forms) f) d
  GROUP BY 1, 2, 3 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3
  ON CONFLICT (organization_id, dim, code, slot) DO UPDATE SET n = c.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER assignments_tallies_update AFTER UPDATE OF organization_id, origin, forms ON assignments
  FOR EACH ROW
  WHEN (OLD.organization_id IS DISTINCT FROM NEW.organization_id OR OLD.origin IS DISTINCT FROM NEW.origin
    OR OLD.forms IS DISTINCT FROM NEW.forms)
  EXECUTE FUNCTION assignment_tallies_row_update();
