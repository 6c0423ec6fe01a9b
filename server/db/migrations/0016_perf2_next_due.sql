DROP INDEX "assignments_org_created_idx";--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "next_due_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "assignments_org_created_id_idx" ON "assignments" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "assignments_org_next_due_idx" ON "assignments" USING btree ("organization_id",coalesce("next_due_at", 'infinity'::timestamptz),"id");--> statement-breakpoint
CREATE INDEX "assignments_org_title_idx" ON "assignments" USING btree ("organization_id","title" collate "und-x-icu","id");--> statement-breakpoint
CREATE INDEX "assignments_org_state_id_idx" ON "assignments" USING btree ("organization_id","state","id");--> statement-breakpoint
CREATE INDEX "deadlines_org_timer_idx" ON "deadlines" USING btree ("organization_id","workflow","key") WHERE "deadlines"."assignment_id" is null;