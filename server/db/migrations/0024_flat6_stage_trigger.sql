-- Issue 15, stage durations as data: stage_stays (each stay of an assignment in a top-level stage)
-- and stage_day_counts (finished stays per organisation, stage and Vietnam date) kept by a
-- statement-level trigger on history inserts, in the transaction that writes the history. A trigger
-- rather than appendHistory: history is also written by flat SQL statements (historyInsert), by
-- imports and by the benchmark's cloned rows, and one statement may carry many rows of the same
-- assignment. Rows (workflow "assignment") are taken in id order per assignment_id, after the
-- assignment's open stay; a stay ends when a row enters another stage. The end day is never before the start day (a stay whose
-- rows went back in time counts 0 working days, as the old recompute's max(0, …) did).
CREATE FUNCTION stage_stays_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH n AS (
    SELECT x.id, x.organization_id, x.assignment_id AS workflow_id, split_part(x.to_state, '.', 1) AS stage,
      x.created_at
    FROM new_history x WHERE x.workflow = 'assignment' AND x.assignment_id IS NOT NULL),
  seq AS (
    SELECT s.organization_id, s.assignment_id AS workflow_id, s.stage, s.entered_at AS created_at,
      0::bigint AS id, s.id AS stay
    FROM stage_stays s WHERE s.left_at IS NULL AND s.assignment_id IN (SELECT workflow_id FROM n)
    UNION ALL
    SELECT organization_id, workflow_id, stage, created_at, id, NULL FROM n),
  marked AS (
    SELECT seq.*, lag(stage) OVER (PARTITION BY workflow_id ORDER BY id) AS prev FROM seq),
  runs AS (
    SELECT organization_id, workflow_id, stage, created_at AS entered_at, stay,
      lead(created_at) OVER (PARTITION BY workflow_id ORDER BY id) AS left_at
    FROM marked WHERE prev IS DISTINCT FROM stage),
  closed AS (
    UPDATE stage_stays s SET left_at = r.left_at FROM runs r
    WHERE s.id = r.stay AND r.left_at IS NOT NULL RETURNING s.id),
  opened AS (
    INSERT INTO stage_stays (organization_id, assignment_id, stage, entered_at, left_at)
    SELECT organization_id, workflow_id, stage, entered_at, left_at FROM runs WHERE stay IS NULL
    RETURNING id),
  ended AS (
    SELECT organization_id, stage, (entered_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS started,
      (left_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS finished, extract(epoch FROM left_at - entered_at) AS seconds
    FROM runs WHERE left_at IS NOT NULL),
  days AS (
    SELECT organization_id, stage, started AS day, 1 AS starts, 0 AS ends, 0::numeric AS seconds FROM ended
    UNION ALL
    SELECT organization_id, stage, greatest(finished, started), 0, 1, seconds FROM ended)
  INSERT INTO stage_day_counts AS c (organization_id, stage, day, starts, ends, seconds)
  SELECT organization_id, stage, day, sum(starts)::int, sum(ends)::int, sum(seconds) FROM days
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (organization_id, stage, day) DO UPDATE
    SET starts = c.starts + excluded.starts, ends = c.ends + excluded.ends, seconds = c.seconds + excluded.seconds;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER history_stage_stays AFTER INSERT ON history
  REFERENCING NEW TABLE AS new_history FOR EACH STATEMENT EXECUTE FUNCTION stage_stays_apply();
--> statement-breakpoint
INSERT INTO stage_stays (organization_id, assignment_id, stage, entered_at, left_at)
SELECT organization_id, assignment_id, stage, created_at,
  lead(created_at) OVER (PARTITION BY assignment_id ORDER BY id)
FROM (
  SELECT h.*, lag(stage) OVER (PARTITION BY assignment_id ORDER BY id) AS prev
  FROM (SELECT id, organization_id, assignment_id, split_part(to_state, '.', 1) AS stage, created_at
        FROM history WHERE workflow = 'assignment' AND assignment_id IS NOT NULL) h) m
WHERE prev IS DISTINCT FROM stage;
--> statement-breakpoint
INSERT INTO stage_day_counts (organization_id, stage, day, starts, ends, seconds)
SELECT organization_id, stage, day, sum(starts)::int, sum(ends)::int, sum(seconds)
FROM (
  SELECT organization_id, stage, (entered_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day, 1 AS starts, 0 AS ends,
    0::numeric AS seconds
  FROM stage_stays WHERE left_at IS NOT NULL
  UNION ALL
  SELECT organization_id, stage, greatest((left_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
      (entered_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date), 0, 1, extract(epoch FROM left_at - entered_at)
  FROM stage_stays WHERE left_at IS NOT NULL) d
GROUP BY 1, 2, 3;
