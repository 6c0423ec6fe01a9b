CREATE TABLE "stage_day_counts" (
	"organization_id" text NOT NULL,
	"stage" text NOT NULL,
	"day" date NOT NULL,
	"starts" integer NOT NULL,
	"ends" integer NOT NULL,
	"seconds" numeric NOT NULL,
	CONSTRAINT "stage_day_counts_organization_id_stage_day_pk" PRIMARY KEY("organization_id","stage","day")
);
--> statement-breakpoint
CREATE TABLE "stage_stays" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"assignment_id" text NOT NULL,
	"stage" text NOT NULL,
	"entered_at" timestamp with time zone NOT NULL,
	"left_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "stage_day_counts" ADD CONSTRAINT "stage_day_counts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_stays" ADD CONSTRAINT "stage_stays_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stage_stays_assignment_idx" ON "stage_stays" USING btree ("assignment_id","id");--> statement-breakpoint
CREATE INDEX "stage_stays_open_idx" ON "stage_stays" USING btree ("assignment_id") WHERE "stage_stays"."left_at" is null;