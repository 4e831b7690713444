-- AlterTable
ALTER TABLE "campaigns" ADD COLUMN     "yardstick_share" DOUBLE PRECISION NOT NULL DEFAULT 0.1;

-- AlterTable
ALTER TABLE "comparisons" ADD COLUMN     "yardstick" BOOLEAN NOT NULL DEFAULT false;

-- Campaigns that already run keep selecting as they did, new campaigns (and drafts) get the default share.
UPDATE "campaigns" SET "yardstick_share" = 0 WHERE "status" <> 'draft';
