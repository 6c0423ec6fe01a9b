CREATE TABLE "mail_acceptances" (
	"message_id" text PRIMARY KEY NOT NULL,
	"accepted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "effects" ADD COLUMN "locked_by" text;