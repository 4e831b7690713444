-- Judgments on several aspects (issue 14 item 2). Existing campaigns ask none, existing labels answered none.
ALTER TABLE "campaigns" ADD COLUMN "aspects" JSONB NOT NULL DEFAULT '[]';
ALTER TABLE "campaigns" ADD COLUMN "training_aspect" TEXT;
ALTER TABLE "labels" ADD COLUMN "aspects" JSONB;
