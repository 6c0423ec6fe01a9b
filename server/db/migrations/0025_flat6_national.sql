CREATE TABLE "answer_counts" (
	"organization_id" text NOT NULL,
	"status" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "answer_counts_organization_id_status_pk" PRIMARY KEY("organization_id","status")
);
--> statement-breakpoint
CREATE TABLE "assignment_tallies" (
	"organization_id" text NOT NULL,
	"dim" text NOT NULL,
	"code" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "assignment_tallies_organization_id_dim_code_pk" PRIMARY KEY("organization_id","dim","code")
);
--> statement-breakpoint
ALTER TABLE "answer_counts" ADD CONSTRAINT "answer_counts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_tallies" ADD CONSTRAINT "assignment_tallies_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "opinion_versions_expert_idx" ON "opinion_versions" USING btree ("organization_id","expert_id");