-- Issue 15, deadlines (branch dl8): the history trigger's fast path (migration
-- event7_stage_stays_fast_path) asked, for each new row, NOT EXISTS (an open stay of its assignment)
-- OR EXISTS (one in another stage). PostgreSQL planned the NOT EXISTS under the OR as a hashed
-- subplan: at each call it read and hashed EVERY open stay of the table (6,000 in the deadlines
-- bench: 27 ms for a statement of 25 rows; it grows with the assignments open, on every event), and
-- PL/pgSQL keeps that plan for the session. The same test as one scalar subquery per row (bool_and of
-- "this open stay is in the row's stage", null when there is none), which is looked up by the
-- open-stays index for each row and cannot be hashed. Same rows take the fast path; the rest of the
-- function is unchanged (docs/BENCHMARKS.md, "Deadlines and the load's tail (branch dl8)").
CREATE OR REPLACE FUNCTION stage_stays_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Fast path: every new row of an assignment stays in the stage of that assignment's open stay (a
  -- reminder, a notice, a step within a stage): the statement below would open, close and count
  -- nothing, so it is not run. Exact, not a guess: it holds only when each row's assignment has an
  -- open stay and every open stay of it is in the row's stage (bool_and over none is null: not true).
  -- A scalar subquery per row, by the open-stays index: never a hash of every open stay.
  IF NOT EXISTS (
    SELECT 1 FROM new_history x
    WHERE x.workflow = 'assignment' AND x.assignment_id IS NOT NULL
      AND (SELECT bool_and(s.stage = split_part(x.to_state, '.', 1)) FROM stage_stays s
           WHERE s.assignment_id = x.assignment_id AND s.left_at IS NULL) IS NOT TRUE) THEN
    RETURN NULL;
  END IF;
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
