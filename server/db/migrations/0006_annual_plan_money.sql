CREATE TABLE "annual_plans" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"year" integer NOT NULL,
	"title" text NOT NULL,
	"proposals_due_on" date NOT NULL,
	"state" text NOT NULL,
	"machine_version" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"approved_version" integer DEFAULT 0 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "estimate_adjustments" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"estimate_id" text NOT NULL,
	"position" integer NOT NULL,
	"label" text NOT NULL,
	"amount" bigint NOT NULL,
	"reason" text NOT NULL,
	CONSTRAINT "estimate_adjustments_ck" CHECK ("estimate_adjustments"."amount" <> 0 and length(trim("estimate_adjustments"."reason")) > 0)
);
--> statement-breakpoint
CREATE TABLE "estimate_lines" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"estimate_id" text NOT NULL,
	"position" integer NOT NULL,
	"item" text NOT NULL,
	"role" text,
	"label" text NOT NULL,
	"unit" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_amount" bigint NOT NULL,
	"amount" bigint NOT NULL,
	"rate_id" text NOT NULL,
	"legal_basis" text NOT NULL,
	CONSTRAINT "estimate_lines_amount_ck" CHECK ("estimate_lines"."amount" = "estimate_lines"."quantity" * "estimate_lines"."unit_amount" and "estimate_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "estimates" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"assignment_id" text NOT NULL,
	"plan_item_id" text,
	"version" integer NOT NULL,
	"rates_on" date NOT NULL,
	"work" jsonb NOT NULL,
	"subtotal" bigint NOT NULL,
	"total" bigint NOT NULL,
	"budget" bigint,
	"status" text DEFAULT 'draft' NOT NULL,
	"reason" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "estimates_total_ck" CHECK ("estimates"."total" >= 0 and "estimates"."subtotal" >= 0)
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"assignment_id" text,
	"plan_item_id" text,
	"payee_kind" text NOT NULL,
	"expert_id" text,
	"payee_name" text NOT NULL,
	"item" text NOT NULL,
	"description" text NOT NULL,
	"amount" bigint NOT NULL,
	"tax_withheld" bigint DEFAULT 0 NOT NULL,
	"paid_on" date NOT NULL,
	"voucher_number" text NOT NULL,
	"reverses_id" text,
	"recorded_by" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_amount_ck" CHECK ("payments"."amount" > 0 or ("payments"."amount" < 0 and "payments"."reverses_id" is not null)),
	CONSTRAINT "payments_expert_ck" CHECK ("payments"."payee_kind" <> 'expert' or "payments"."expert_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "plan_decisions" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"plan_id" text NOT NULL,
	"submission_id" text NOT NULL,
	"list_version" integer NOT NULL,
	"number" text NOT NULL,
	"decided_on" date NOT NULL,
	"issuer" text NOT NULL,
	"file_sha256" text NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"outcomes" jsonb NOT NULL,
	"recorded_by" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_item_versions" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"item_id" text NOT NULL,
	"version" integer NOT NULL,
	"list_version" integer NOT NULL,
	"title" text NOT NULL,
	"type" text NOT NULL,
	"forms" text[] NOT NULL,
	"subject_kind" text,
	"ordering_agency_id" text,
	"drafting_agency" text,
	"quarter" integer NOT NULL,
	"rationale" text NOT NULL,
	"estimated_cost" bigint NOT NULL,
	"approved_budget" bigint,
	"source" text NOT NULL,
	"reason" text,
	"author_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plan_item_versions_cost_ck" CHECK ("plan_item_versions"."estimated_cost" >= 0 and coalesce("plan_item_versions"."approved_budget", 0) >= 0)
);
--> statement-breakpoint
CREATE TABLE "plan_items" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"plan_id" text NOT NULL,
	"number" integer NOT NULL,
	"status" text NOT NULL,
	"rank" integer,
	"quarter" integer NOT NULL,
	"proposer_kind" text NOT NULL,
	"agency_id" text,
	"member_association_id" text,
	"merged_into_id" text,
	"assignment_id" text,
	"added_in_version" integer NOT NULL,
	"current_version" integer DEFAULT 1 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plan_items_quarter_ck" CHECK ("plan_items"."quarter" between 1 and 4)
);
--> statement-breakpoint
CREATE TABLE "plan_submissions" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"plan_id" text NOT NULL,
	"list_version" integer NOT NULL,
	"attempt" integer DEFAULT 1 NOT NULL,
	"kind" text NOT NULL,
	"items" jsonb NOT NULL,
	"document_id" text,
	"outcome" text DEFAULT 'pending' NOT NULL,
	"return_comments" text,
	"submitted_by" text,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rates" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"item" text NOT NULL,
	"role" text,
	"label" text NOT NULL,
	"unit" text NOT NULL,
	"amount" bigint NOT NULL,
	"effective_from" date NOT NULL,
	"effective_to" date,
	"legal_basis" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rates_amount_ck" CHECK ("rates"."amount" >= 0),
	CONSTRAINT "rates_dates_ck" CHECK ("rates"."effective_to" is null or "rates"."effective_to" >= "rates"."effective_from")
);
--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "plan_item_id" text;--> statement-breakpoint
ALTER TABLE "annual_plans" ADD CONSTRAINT "annual_plans_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annual_plans" ADD CONSTRAINT "annual_plans_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimate_adjustments" ADD CONSTRAINT "estimate_adjustments_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimate_adjustments" ADD CONSTRAINT "estimate_adjustments_estimate_id_estimates_id_fk" FOREIGN KEY ("estimate_id") REFERENCES "public"."estimates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimate_lines" ADD CONSTRAINT "estimate_lines_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimate_lines" ADD CONSTRAINT "estimate_lines_estimate_id_estimates_id_fk" FOREIGN KEY ("estimate_id") REFERENCES "public"."estimates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimate_lines" ADD CONSTRAINT "estimate_lines_rate_id_rates_id_fk" FOREIGN KEY ("rate_id") REFERENCES "public"."rates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimates" ADD CONSTRAINT "estimates_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimates" ADD CONSTRAINT "estimates_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimates" ADD CONSTRAINT "estimates_plan_item_id_plan_items_id_fk" FOREIGN KEY ("plan_item_id") REFERENCES "public"."plan_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimates" ADD CONSTRAINT "estimates_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_plan_item_id_plan_items_id_fk" FOREIGN KEY ("plan_item_id") REFERENCES "public"."plan_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_expert_id_experts_id_fk" FOREIGN KEY ("expert_id") REFERENCES "public"."experts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_reverses_id_payments_id_fk" FOREIGN KEY ("reverses_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_decisions" ADD CONSTRAINT "plan_decisions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_decisions" ADD CONSTRAINT "plan_decisions_plan_id_annual_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."annual_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_decisions" ADD CONSTRAINT "plan_decisions_submission_id_plan_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."plan_submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_decisions" ADD CONSTRAINT "plan_decisions_file_sha256_blobs_sha256_fk" FOREIGN KEY ("file_sha256") REFERENCES "public"."blobs"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_decisions" ADD CONSTRAINT "plan_decisions_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_item_versions" ADD CONSTRAINT "plan_item_versions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_item_versions" ADD CONSTRAINT "plan_item_versions_item_id_plan_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."plan_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_item_versions" ADD CONSTRAINT "plan_item_versions_ordering_agency_id_agencies_id_fk" FOREIGN KEY ("ordering_agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_item_versions" ADD CONSTRAINT "plan_item_versions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_items" ADD CONSTRAINT "plan_items_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_items" ADD CONSTRAINT "plan_items_plan_id_annual_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."annual_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_items" ADD CONSTRAINT "plan_items_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_items" ADD CONSTRAINT "plan_items_member_association_id_member_associations_id_fk" FOREIGN KEY ("member_association_id") REFERENCES "public"."member_associations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_items" ADD CONSTRAINT "plan_items_merged_into_id_plan_items_id_fk" FOREIGN KEY ("merged_into_id") REFERENCES "public"."plan_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_items" ADD CONSTRAINT "plan_items_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_items" ADD CONSTRAINT "plan_items_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_submissions" ADD CONSTRAINT "plan_submissions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_submissions" ADD CONSTRAINT "plan_submissions_plan_id_annual_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."annual_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_submissions" ADD CONSTRAINT "plan_submissions_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_submissions" ADD CONSTRAINT "plan_submissions_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rates" ADD CONSTRAINT "rates_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rates" ADD CONSTRAINT "rates_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "annual_plans_org_year_uq" ON "annual_plans" USING btree ("organization_id","year");--> statement-breakpoint
CREATE UNIQUE INDEX "estimate_adjustments_uq" ON "estimate_adjustments" USING btree ("estimate_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "estimate_lines_uq" ON "estimate_lines" USING btree ("estimate_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "estimates_assignment_version_uq" ON "estimates" USING btree ("assignment_id","version");--> statement-breakpoint
CREATE INDEX "payments_org_paid_idx" ON "payments" USING btree ("organization_id","paid_on");--> statement-breakpoint
CREATE INDEX "payments_org_expert_idx" ON "payments" USING btree ("organization_id","expert_id","paid_on");--> statement-breakpoint
CREATE INDEX "payments_assignment_idx" ON "payments" USING btree ("assignment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_decisions_plan_version_uq" ON "plan_decisions" USING btree ("plan_id","list_version");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_item_versions_uq" ON "plan_item_versions" USING btree ("item_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_items_plan_number_uq" ON "plan_items" USING btree ("plan_id","number");--> statement-breakpoint
CREATE INDEX "plan_items_org_plan_status_idx" ON "plan_items" USING btree ("organization_id","plan_id","status");--> statement-breakpoint
CREATE INDEX "plan_items_assignment_idx" ON "plan_items" USING btree ("assignment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_submissions_uq" ON "plan_submissions" USING btree ("plan_id","list_version","attempt");--> statement-breakpoint
CREATE UNIQUE INDEX "rates_org_item_role_from_uq" ON "rates" USING btree ("organization_id","item",coalesce("role", ''),"effective_from");--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_plan_item_id_plan_items_id_fk" FOREIGN KEY ("plan_item_id") REFERENCES "public"."plan_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
DROP TABLE "fees" CASCADE;