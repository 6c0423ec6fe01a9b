-- Issue 15, the mixed load's tail (branch lock9): every roll-up row (assignment_counts,
-- assignment_tallies, deadline_outcomes, stage_day_counts, answer_counts) was one row per key, which
-- the statement-level triggers upsert in the writing transaction. Two transactions changing the same
-- count (two orders arriving in one month, two assignments leaving a state) queued on that row's
-- lock until the first committed: sampled every 0.2 s under the load benchmark, statements waited on
-- a roll-up row in nearly every other sample. Each row now also has a slot, the writing connection's
-- pg_backend_pid() % 16 (`rollup_slot()`), in its key: concurrent transactions on different
-- connections add to different rows, and readers sum over the slots (they already summed; the
-- national view's tallies and the stage days now do too). The trigger functions below are those of
-- migrations perf4_rollup_triggers, flat6_national_trigger, answer_counts_agency and
-- dl8_stage_fast_check with the slot added to each INSERT and ON CONFLICT; nothing else changes.
-- Existing rows keep slot 0.
ALTER TABLE "answer_counts" DROP CONSTRAINT "answer_counts_organization_id_agency_id_status_pk";--> statement-breakpoint
ALTER TABLE "assignment_counts" DROP CONSTRAINT "assignment_counts_organization_id_confidential_state_type_month_pk";--> statement-breakpoint
ALTER TABLE "assignment_tallies" DROP CONSTRAINT "assignment_tallies_organization_id_dim_code_pk";--> statement-breakpoint
ALTER TABLE "deadline_outcomes" DROP CONSTRAINT "deadline_outcomes_organization_id_key_status_pk";--> statement-breakpoint
ALTER TABLE "stage_day_counts" DROP CONSTRAINT "stage_day_counts_organization_id_stage_day_pk";--> statement-breakpoint
ALTER TABLE "answer_counts" ADD COLUMN "slot" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "assignment_counts" ADD COLUMN "slot" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "assignment_tallies" ADD COLUMN "slot" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "deadline_outcomes" ADD COLUMN "slot" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stage_day_counts" ADD COLUMN "slot" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "answer_counts" ADD CONSTRAINT "answer_counts_organization_id_agency_id_status_slot_pk" PRIMARY KEY("organization_id","agency_id","status","slot");--> statement-breakpoint
ALTER TABLE "assignment_counts" ADD CONSTRAINT "assignment_counts_organization_id_confidential_state_type_month_slot_pk" PRIMARY KEY("organization_id","confidential","state","type","month","slot");--> statement-breakpoint
ALTER TABLE "assignment_tallies" ADD CONSTRAINT "assignment_tallies_organization_id_dim_code_slot_pk" PRIMARY KEY("organization_id","dim","code","slot");--> statement-breakpoint
ALTER TABLE "deadline_outcomes" ADD CONSTRAINT "deadline_outcomes_organization_id_key_status_slot_pk" PRIMARY KEY("organization_id","key","status","slot");--> statement-breakpoint
ALTER TABLE "stage_day_counts" ADD CONSTRAINT "stage_day_counts_organization_id_stage_day_slot_pk" PRIMARY KEY("organization_id","stage","day","slot");--> statement-breakpoint
-- The slot of the connection writing a roll-up row (one definition for every trigger below).
CREATE FUNCTION rollup_slot() RETURNS smallint LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT (pg_backend_pid() % 16)::smallint
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION assignment_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO assignment_counts AS c (organization_id, confidential, state, type, month, n, slot)
    SELECT d.organization_id, d.confidential, d.state, d.type, d.month, sum(d.n)::int, rollup_slot()
    FROM (SELECT x.organization_id, x.confidential, x.state, x.type,
            to_char(x.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM') AS month, 1 AS n
          FROM new_assignments x) d
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (organization_id, confidential, state, type, month, slot) DO UPDATE SET n = c.n + excluded.n;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO assignment_counts AS c (organization_id, confidential, state, type, month, n, slot)
    SELECT d.organization_id, d.confidential, d.state, d.type, d.month, sum(d.n)::int, rollup_slot()
    FROM (SELECT x.organization_id, x.confidential, x.state, x.type,
            to_char(x.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM') AS month, 1 AS n
          FROM new_assignments x
          UNION ALL
          SELECT x.organization_id, x.confidential, x.state, x.type,
            to_char(x.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM'), -1
          FROM old_assignments x) d
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (organization_id, confidential, state, type, month, slot) DO UPDATE SET n = c.n + excluded.n;
  ELSE
    INSERT INTO assignment_counts AS c (organization_id, confidential, state, type, month, n, slot)
    SELECT x.organization_id, x.confidential, x.state, x.type,
      to_char(x.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM'), -count(*)::int, rollup_slot()
    FROM old_assignments x
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (organization_id, confidential, state, type, month, slot) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION deadline_outcomes_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO deadline_outcomes AS c (organization_id, key, status, n, slot)
    SELECT x.organization_id, x.key, x.status, count(*)::int, rollup_slot() FROM new_deadlines x
    WHERE x.workflow = 'assignment' AND x.status IN ('fired', 'cancelled') AND x.key NOT LIKE '%#%'
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (organization_id, key, status, slot) DO UPDATE SET n = c.n + excluded.n;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO deadline_outcomes AS c (organization_id, key, status, n, slot)
    SELECT d.organization_id, d.key, d.status, sum(d.n)::int, rollup_slot()
    FROM (SELECT x.organization_id, x.key, x.status, x.workflow, 1 AS n FROM new_deadlines x
          UNION ALL
          SELECT x.organization_id, x.key, x.status, x.workflow, -1 FROM old_deadlines x) d
    WHERE d.workflow = 'assignment' AND d.status IN ('fired', 'cancelled') AND d.key NOT LIKE '%#%'
    GROUP BY 1, 2, 3 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (organization_id, key, status, slot) DO UPDATE SET n = c.n + excluded.n;
  ELSE
    INSERT INTO deadline_outcomes AS c (organization_id, key, status, n, slot)
    SELECT x.organization_id, x.key, x.status, -count(*)::int, rollup_slot() FROM old_deadlines x
    WHERE x.workflow = 'assignment' AND x.status IN ('fired', 'cancelled') AND x.key NOT LIKE '%#%'
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (organization_id, key, status, slot) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION assignment_tallies_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO assignment_tallies AS c (organization_id, dim, code, n, slot)
    SELECT organization_id, dim, code, sum(n)::int, rollup_slot() FROM (
      SELECT x.organization_id, 'origin' AS dim, x.origin AS code, 1 AS n FROM new_assignments x
      UNION ALL SELECT x.organization_id, 'form', f, 1 FROM new_assignments x, unnest(x.forms) f) d
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (organization_id, dim, code, slot) DO UPDATE SET n = c.n + excluded.n;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO assignment_tallies AS c (organization_id, dim, code, n, slot)
    SELECT organization_id, dim, code, sum(n)::int, rollup_slot() FROM (
      SELECT x.organization_id, 'origin' AS dim, x.origin AS code, 1 AS n FROM new_assignments x
      UNION ALL SELECT x.organization_id, 'form', f, 1 FROM new_assignments x, unnest(x.forms) f
      UNION ALL SELECT x.organization_id, 'origin', x.origin, -1 FROM old_assignments x
      UNION ALL SELECT x.organization_id, 'form', f, -1 FROM old_assignments x, unnest(x.forms) f) d
    GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (organization_id, dim, code, slot) DO UPDATE SET n = c.n + excluded.n;
  ELSE
    INSERT INTO assignment_tallies AS c (organization_id, dim, code, n, slot)
    SELECT organization_id, dim, code, -sum(n)::int, rollup_slot() FROM (
      SELECT x.organization_id, 'origin' AS dim, x.origin AS code, 1 AS n FROM old_assignments x
      UNION ALL SELECT x.organization_id, 'form', f, 1 FROM old_assignments x, unnest(x.forms) f) d
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (organization_id, dim, code, slot) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION answer_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH after AS (
    SELECT DISTINCT ON (r.recommendation_id) r.organization_id, r.assignment_id, r.status
    FROM recommendation_responses r
    WHERE r.recommendation_id IN (SELECT recommendation_id FROM new_responses)
    ORDER BY r.recommendation_id, r.created_at DESC, r.id DESC),
  before AS (
    SELECT DISTINCT ON (r.recommendation_id) r.organization_id, r.assignment_id, r.status
    FROM recommendation_responses r
    WHERE r.recommendation_id IN (SELECT recommendation_id FROM new_responses)
      AND r.id NOT IN (SELECT id FROM new_responses)
    ORDER BY r.recommendation_id, r.created_at DESC, r.id DESC),
  d AS (
    SELECT organization_id, assignment_id, status, 1 AS n FROM after
    UNION ALL SELECT organization_id, assignment_id, status, -1 FROM before)
  INSERT INTO answer_counts AS c (organization_id, agency_id, status, n, slot)
  SELECT d.organization_id, coalesce(a.agency_id, ''), d.status, sum(d.n)::int, rollup_slot()
  FROM d LEFT JOIN assignments a ON a.id = d.assignment_id
  GROUP BY 1, 2, 3 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3
  ON CONFLICT (organization_id, agency_id, status, slot) DO UPDATE SET n = c.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
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
  INSERT INTO stage_day_counts AS c (organization_id, stage, day, starts, ends, seconds, slot)
  SELECT organization_id, stage, day, sum(starts)::int, sum(ends)::int, sum(seconds), rollup_slot() FROM days
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (organization_id, stage, day, slot) DO UPDATE
    SET starts = c.starts + excluded.starts, ends = c.ends + excluded.ends, seconds = c.seconds + excluded.seconds;
  RETURN NULL;
END $$;
