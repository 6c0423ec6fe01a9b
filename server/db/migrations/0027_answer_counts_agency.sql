-- Issue 15, the dashboard's adoption chart flat: answer_counts per ordering agency as well (the
-- assignment's agency, fixed when it is ordered; '' for none), so the chart reads the roll-up instead
-- of every answer of the organisation. The national view sums over agencies.
ALTER TABLE "answer_counts" ADD COLUMN "agency_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "answer_counts" DROP CONSTRAINT "answer_counts_organization_id_status_pk";--> statement-breakpoint
ALTER TABLE "answer_counts" ADD CONSTRAINT "answer_counts_organization_id_agency_id_status_pk" PRIMARY KEY("organization_id","agency_id","status");--> statement-breakpoint
-- The newest answer of each recommendation the statement answered, after it less before it, with the
-- assignment's agency.
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
  INSERT INTO answer_counts AS c (organization_id, agency_id, status, n)
  SELECT d.organization_id, coalesce(a.agency_id, ''), d.status, sum(d.n)::int
  FROM d LEFT JOIN assignments a ON a.id = d.assignment_id
  GROUP BY 1, 2, 3 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3
  ON CONFLICT (organization_id, agency_id, status) DO UPDATE SET n = c.n + excluded.n;
  RETURN NULL;
END $$;
--> statement-breakpoint
DELETE FROM answer_counts;
--> statement-breakpoint
INSERT INTO answer_counts (organization_id, agency_id, status, n)
SELECT newest.organization_id, coalesce(a.agency_id, ''), newest.status, count(*)::int FROM (
  SELECT DISTINCT ON (recommendation_id) organization_id, assignment_id, status FROM recommendation_responses
  ORDER BY recommendation_id, created_at DESC, id DESC) newest
LEFT JOIN assignments a ON a.id = newest.assignment_id
GROUP BY 1, 2, 3;
