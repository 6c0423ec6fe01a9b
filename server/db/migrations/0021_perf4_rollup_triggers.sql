-- Issue 15, the dashboard's charts flat: assignment_counts (per organisation, confidentiality, state,
-- type, month of arrival in Asia/Ho_Chi_Minh) and deadline_outcomes (per organisation, key and
-- ending: fired or cancelled) kept by statement-level triggers in the transaction that writes the
-- rows, so every writer (events, imports, the deadline worker, SQL) keeps them exact. Each statement
-- adds its net change per counter, in key order (concurrent writers lock the counters in one order);
-- an update that changes none of the counted columns nets to zero and touches no counter.
CREATE FUNCTION assignment_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO assignment_counts AS c (organization_id, confidential, state, type, month, n)
    SELECT d.organization_id, d.confidential, d.state, d.type, d.month, sum(d.n)::int
    FROM (SELECT x.organization_id, x.confidential, x.state, x.type,
            to_char(x.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM') AS month, 1 AS n
          FROM new_assignments x) d
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (organization_id, confidential, state, type, month) DO UPDATE SET n = c.n + excluded.n;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO assignment_counts AS c (organization_id, confidential, state, type, month, n)
    SELECT d.organization_id, d.confidential, d.state, d.type, d.month, sum(d.n)::int
    FROM (SELECT x.organization_id, x.confidential, x.state, x.type,
            to_char(x.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM') AS month, 1 AS n
          FROM new_assignments x
          UNION ALL
          SELECT x.organization_id, x.confidential, x.state, x.type,
            to_char(x.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM'), -1
          FROM old_assignments x) d
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (organization_id, confidential, state, type, month) DO UPDATE SET n = c.n + excluded.n;
  ELSE
    INSERT INTO assignment_counts AS c (organization_id, confidential, state, type, month, n)
    SELECT x.organization_id, x.confidential, x.state, x.type,
      to_char(x.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM'), -count(*)::int
    FROM old_assignments x
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (organization_id, confidential, state, type, month) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER assignments_counts_insert AFTER INSERT ON assignments
  REFERENCING NEW TABLE AS new_assignments FOR EACH STATEMENT EXECUTE FUNCTION assignment_counts_apply();
--> statement-breakpoint
CREATE TRIGGER assignments_counts_update AFTER UPDATE ON assignments
  REFERENCING OLD TABLE AS old_assignments NEW TABLE AS new_assignments
  FOR EACH STATEMENT EXECUTE FUNCTION assignment_counts_apply();
--> statement-breakpoint
CREATE TRIGGER assignments_counts_delete AFTER DELETE ON assignments
  REFERENCING OLD TABLE AS old_assignments FOR EACH STATEMENT EXECUTE FUNCTION assignment_counts_apply();
--> statement-breakpoint
CREATE FUNCTION deadline_outcomes_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO deadline_outcomes AS c (organization_id, key, status, n)
    SELECT x.organization_id, x.key, x.status, count(*)::int FROM new_deadlines x
    WHERE x.workflow = 'assignment' AND x.status IN ('fired', 'cancelled') AND x.key NOT LIKE '%#%'
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (organization_id, key, status) DO UPDATE SET n = c.n + excluded.n;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO deadline_outcomes AS c (organization_id, key, status, n)
    SELECT d.organization_id, d.key, d.status, sum(d.n)::int
    FROM (SELECT x.organization_id, x.key, x.status, x.workflow, 1 AS n FROM new_deadlines x
          UNION ALL
          SELECT x.organization_id, x.key, x.status, x.workflow, -1 FROM old_deadlines x) d
    WHERE d.workflow = 'assignment' AND d.status IN ('fired', 'cancelled') AND d.key NOT LIKE '%#%'
    GROUP BY 1, 2, 3 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (organization_id, key, status) DO UPDATE SET n = c.n + excluded.n;
  ELSE
    INSERT INTO deadline_outcomes AS c (organization_id, key, status, n)
    SELECT x.organization_id, x.key, x.status, -count(*)::int FROM old_deadlines x
    WHERE x.workflow = 'assignment' AND x.status IN ('fired', 'cancelled') AND x.key NOT LIKE '%#%'
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (organization_id, key, status) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER deadlines_outcomes_insert AFTER INSERT ON deadlines
  REFERENCING NEW TABLE AS new_deadlines FOR EACH STATEMENT EXECUTE FUNCTION deadline_outcomes_apply();
--> statement-breakpoint
CREATE TRIGGER deadlines_outcomes_update AFTER UPDATE ON deadlines
  REFERENCING OLD TABLE AS old_deadlines NEW TABLE AS new_deadlines
  FOR EACH STATEMENT EXECUTE FUNCTION deadline_outcomes_apply();
--> statement-breakpoint
CREATE TRIGGER deadlines_outcomes_delete AFTER DELETE ON deadlines
  REFERENCING OLD TABLE AS old_deadlines FOR EACH STATEMENT EXECUTE FUNCTION deadline_outcomes_apply();
--> statement-breakpoint
INSERT INTO assignment_counts (organization_id, confidential, state, type, month, n)
SELECT organization_id, confidential, state, type, to_char(created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM'),
  count(*)::int
FROM assignments GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO deadline_outcomes (organization_id, key, status, n)
SELECT organization_id, key, status, count(*)::int FROM deadlines
WHERE workflow = 'assignment' AND status IN ('fired', 'cancelled') AND key NOT LIKE '%#%'
GROUP BY 1, 2, 3;
