ALTER TABLE "deadlines" ALTER COLUMN "assignment_id" DROP NOT NULL;
