-- Issue 15, the national view flat: assignment_tallies (per organisation, forms and origins) and
-- answer_counts (per organisation, the newest answer of each recommendation) kept by statement-level
-- triggers in the writing transaction, as assignment_counts is (migration perf4_rollup_triggers):
-- each statement adds its net change per counter, in key order.
CREATE FUNCTION assignment_tallies_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO assignment_tallies AS c (organization_id, dim, code, n)
    SELECT organization_id, dim, code, sum(n)::int FROM (
      SELECT x.organization_id, 'origin' AS dim, x.origin AS code, 1 AS n FROM new_assignments x
      UNION ALL SELECT x.organization_id, 'form', f, 1 FROM new_assignments x, unnest(x.forms) f) d
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (organization_id, dim, code) DO UPDATE SET n = c.n + excluded.n;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO assignment_tallies AS c (organization_id, dim, code, n)
    SELECT organization_id, dim, code, sum(n)::int FROM (
      SELECT x.organization_id, 'origin' AS dim, x.origin AS code, 1 AS n FROM new_assignments x
      UNION ALL SELECT x.organization_id, 'form', f, 1 FROM new_assignments x, unnest(x.forms) f
      UNION ALL SELECT x.organization_id, 'origin', x.origin, -1 FROM old_assignments x
      UNION ALL SELECT x.organization_id, 'form', f, -1 FROM old_assignments x, unnest(x.forms) f) d
    GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (organization_id, dim, code) DO UPDATE SET n = c.n + excluded.n;
  ELSE
    INSERT INTO assignment_tallies AS c (organization_id, dim, code, n)
    SELECT organization_id, dim, code, -sum(n)::int FROM (
      SELECT x.organization_id, 'origin' AS dim, x.origin AS code, 1 AS n FROM old_assignments x
      UNION ALL SELECT x.organization_id, 'form', f, 1 FROM old_assignments x, unnest(x.forms) f) d
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (organization_id, dim, code) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER assignments_tallies_insert AFTER INSERT ON assignments
  REFERENCING NEW TABLE AS new_assignments FOR EACH STATEMENT EXECUTE FUNCTION assignment_tallies_apply();
--> statement-breakpoint
CREATE TRIGGER assignments_tallies_update AFTER UPDATE ON assignments
  REFERENCING OLD TABLE AS old_assignments NEW TABLE AS new_assignments
  FOR EACH STATEMENT EXECUTE FUNCTION assignment_tallies_apply();
--> statement-breakpoint
CREATE TRIGGER assignments_tallies_delete AFTER DELETE ON assignments
  REFERENCING OLD TABLE AS old_assignments FOR EACH STATEMENT EXECUTE FUNCTION assignment_tallies_apply();
--> statement-breakpoint
-- The newest answer of each recommendation the statement answered, after it less before it.
CREATE FUNCTION answer_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH after AS (
    SELECT DISTINCT ON (r.recommendation_id) r.organization_id, r.status FROM recommendation_responses r
    WHERE r.recommendation_id IN (SELECT recommendation_id FROM new_responses)
    ORDER BY r.recommendation_id, r.created_at DESC, r.id DESC),
  before AS (
    SELECT DISTINCT ON (r.recommendation_id) r.organization_id, r.status FROM recommendation_responses r
    WHERE r.recommendation_id IN (SELECT recommendation_id FROM new_responses)
      AND r.id NOT IN (SELECT id FROM new_responses)
    ORDER BY r.recommendation_id, r.created_at DESC, r.id DESC)
  INSERT INTO answer_counts AS c (organization_id, status, n)
  SELECT organization_id, status, sum(n)::int FROM (
    SELECT organization_id, status, 1 AS n FROM after
    UNION ALL SELECT organization_id, status, -1 FROM before) d
  GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
  ON CONFLICT (organization_id, status) DO UPDATE SET n = c.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER recommendation_responses_answers AFTER INSERT ON recommendation_responses
  REFERENCING NEW TABLE AS new_responses FOR EACH STATEMENT EXECUTE FUNCTION answer_counts_apply();
--> statement-breakpoint
INSERT INTO assignment_tallies (organization_id, dim, code, n)
SELECT organization_id, dim, code, count(*)::int FROM (
  SELECT organization_id, 'origin' AS dim, origin AS code FROM assignments
  UNION ALL SELECT organization_id, 'form', f FROM assignments, unnest(forms) f) d
GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO answer_counts (organization_id, status, n)
SELECT organization_id, status, count(*)::int FROM (
  SELECT DISTINCT ON (recommendation_id) organization_id, status FROM recommendation_responses
  ORDER BY recommendation_id, created_at DESC, id DESC) newest
GROUP BY 1, 2;
