-- assignments.next_due_at: the earliest pending deadline of the assignment's own workflow, kept by
-- the database in the transaction that writes the deadlines (every writer: events, the deadline
-- worker, reminders, pauses), so that no code path can forget it. One statement-level trigger per
-- kind of write; the function first locks the assignments concerned (in id order), then reads the
-- minimum with a fresh snapshot, so concurrent writers of the same assignment cannot leave a stale value.
CREATE FUNCTION assignments_refresh_next_due() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM assignments a
    WHERE a.id IN (SELECT c.assignment_id FROM changed_deadlines c
                   WHERE c.assignment_id IS NOT NULL AND c.workflow = 'assignment')
    ORDER BY a.id FOR UPDATE;
  UPDATE assignments a SET next_due_at = n.due
  FROM (
    SELECT c.assignment_id AS id,
      (SELECT min(d.due_at) FROM deadlines d
        WHERE d.assignment_id = c.assignment_id AND d.status = 'pending' AND d.workflow = 'assignment') AS due
    FROM (SELECT DISTINCT x.assignment_id FROM changed_deadlines x
          WHERE x.assignment_id IS NOT NULL AND x.workflow = 'assignment') c
  ) n
  WHERE a.id = n.id AND a.next_due_at IS DISTINCT FROM n.due;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER deadlines_next_due_insert AFTER INSERT ON deadlines
  REFERENCING NEW TABLE AS changed_deadlines FOR EACH STATEMENT EXECUTE FUNCTION assignments_refresh_next_due();
--> statement-breakpoint
CREATE TRIGGER deadlines_next_due_update AFTER UPDATE ON deadlines
  REFERENCING NEW TABLE AS changed_deadlines FOR EACH STATEMENT EXECUTE FUNCTION assignments_refresh_next_due();
--> statement-breakpoint
CREATE TRIGGER deadlines_next_due_delete AFTER DELETE ON deadlines
  REFERENCING OLD TABLE AS changed_deadlines FOR EACH STATEMENT EXECUTE FUNCTION assignments_refresh_next_due();
--> statement-breakpoint
UPDATE assignments a SET next_due_at = (SELECT min(d.due_at) FROM deadlines d
  WHERE d.assignment_id = a.id AND d.status = 'pending' AND d.workflow = 'assignment')
WHERE EXISTS (SELECT 1 FROM deadlines d WHERE d.assignment_id = a.id AND d.status = 'pending' AND d.workflow = 'assignment');
