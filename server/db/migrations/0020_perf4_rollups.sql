CREATE TABLE "assignment_counts" (
	"organization_id" text NOT NULL,
	"confidential" boolean NOT NULL,
	"state" text NOT NULL,
	"type" text NOT NULL,
	"month" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "assignment_counts_organization_id_confidential_state_type_month_pk" PRIMARY KEY("organization_id","confidential","state","type","month")
);
--> statement-breakpoint
CREATE TABLE "deadline_outcomes" (
	"organization_id" text NOT NULL,
	"key" text NOT NULL,
	"status" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "deadline_outcomes_organization_id_key_status_pk" PRIMARY KEY("organization_id","key","status")
);
--> statement-breakpoint
ALTER TABLE "assignment_counts" ADD CONSTRAINT "assignment_counts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deadline_outcomes" ADD CONSTRAINT "deadline_outcomes_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assignments_org_confidential_idx" ON "assignments" USING btree ("organization_id") WHERE "assignments"."confidential";