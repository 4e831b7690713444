-- Crowd quality (issue 10): gold comparisons, undo with label history, labeler exclusion and pause,
-- split-breaking extra judgments and requested extra judgments.

-- AlterTable
ALTER TABLE "campaigns" ADD COLUMN     "gold_rate" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "gold_feedback" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "undo_window_seconds" INTEGER NOT NULL DEFAULT 120,
ADD COLUMN     "split_extra_cap" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "extra_judgment_cap" INTEGER NOT NULL DEFAULT 2;

-- AlterTable
ALTER TABLE "responses" ADD COLUMN     "synthetic" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "comparisons" ADD COLUMN     "gold_response_id" UUID,
ADD COLUMN     "gold_source" TEXT,
ADD COLUMN     "votes_first" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "votes_second" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "split_extras" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "extra_requested" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "assignments" ADD COLUMN     "gold" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "labels" ADD COLUMN     "gold" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "labeler_standings" (
    "campaign_id" UUID NOT NULL,
    "labeler_id" UUID NOT NULL,
    "labels_excluded" BOOLEAN NOT NULL DEFAULT false,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "reason" TEXT,
    "updated_by" UUID,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "labeler_standings_pkey" PRIMARY KEY ("campaign_id","labeler_id")
);

-- CreateTable
CREATE TABLE "label_revisions" (
    "id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "label_id" UUID NOT NULL,
    "labeler_id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "old_choice" "Choice" NOT NULL,
    "new_choice" "Choice" NOT NULL,
    "old_outcome" DOUBLE PRECISION,
    "new_outcome" DOUBLE PRECISION,
    "old_strength" INTEGER,
    "new_strength" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "label_revisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "extra_judgment_requests" (
    "id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "comparison_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "extra_judgment_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "label_revisions_labeler_id_idempotency_key_key" ON "label_revisions"("labeler_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "label_revisions_label_id_created_at_idx" ON "label_revisions"("label_id", "created_at");

-- CreateIndex
CREATE INDEX "extra_judgment_requests_comparison_id_idx" ON "extra_judgment_requests"("comparison_id");

-- CreateIndex
CREATE INDEX "extra_judgment_requests_campaign_id_created_at_idx" ON "extra_judgment_requests"("campaign_id", "created_at");

-- AddForeignKey
ALTER TABLE "labeler_standings" ADD CONSTRAINT "labeler_standings_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "label_revisions" ADD CONSTRAINT "label_revisions_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "label_revisions" ADD CONSTRAINT "label_revisions_label_id_fkey" FOREIGN KEY ("label_id") REFERENCES "labels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "extra_judgment_requests" ADD CONSTRAINT "extra_judgment_requests_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "extra_judgment_requests" ADD CONSTRAINT "extra_judgment_requests_comparison_id_fkey" FOREIGN KEY ("comparison_id") REFERENCES "comparisons"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill the decisive vote counters from the labels already stored.
UPDATE "comparisons" c SET
  "votes_first" = v.first_votes,
  "votes_second" = v.second_votes
FROM (
  SELECT comparison_id,
         count(*) FILTER (WHERE outcome = 1)::int AS first_votes,
         count(*) FILTER (WHERE outcome = 0)::int AS second_votes
  FROM "labels" GROUP BY comparison_id
) v
WHERE v.comparison_id = c.id;

-- split_extra_cap defaults to 0 in the database, so existing campaigns keep their redundancy exactly as
-- configured, campaigns created through the API get the API default (1: break a split once).
