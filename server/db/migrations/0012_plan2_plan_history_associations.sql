ALTER TABLE "history" ALTER COLUMN "assignment_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "member_association_id" text;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_member_association_id_member_associations_id_fk" FOREIGN KEY ("member_association_id") REFERENCES "public"."member_associations"("id") ON DELETE no action ON UPDATE no action;