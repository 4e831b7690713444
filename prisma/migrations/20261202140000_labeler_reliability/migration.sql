-- Labeler reliability (issue 10 items 2-5): per-labeler estimates at every reward-model fit, the crowd
-- model state for warm starts, each label weight and each comparison reliability consensus, and the
-- campaign flag threshold and auto-pause switch.

-- AlterTable
ALTER TABLE "campaigns" ADD COLUMN     "min_labeler_accuracy" DOUBLE PRECISION NOT NULL DEFAULT 0.8,
ADD COLUMN     "auto_pause_flagged" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "comparisons" ADD COLUMN     "consensus" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "labels" ADD COLUMN     "weight" DOUBLE PRECISION,
ADD COLUMN     "weight_sign" SMALLINT;

-- AlterTable
ALTER TABLE "model_versions" ADD COLUMN     "reliability_state" JSONB;

-- CreateTable
CREATE TABLE "labeler_reliability" (
    "model_version_id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "labeler_id" UUID NOT NULL,
    "judgments" INTEGER NOT NULL,
    "directional" INTEGER NOT NULL,
    "accuracy" DOUBLE PRECISION NOT NULL,
    "accuracy_low" DOUBLE PRECISION NOT NULL,
    "accuracy_high" DOUBLE PRECISION NOT NULL,
    "inverted" DOUBLE PRECISION NOT NULL,
    "inverted_low" DOUBLE PRECISION NOT NULL,
    "inverted_high" DOUBLE PRECISION NOT NULL,
    "random" DOUBLE PRECISION NOT NULL,
    "random_low" DOUBLE PRECISION NOT NULL,
    "random_high" DOUBLE PRECISION NOT NULL,
    "position_bias" DOUBLE PRECISION NOT NULL,
    "position_bias_low" DOUBLE PRECISION NOT NULL,
    "position_bias_high" DOUBLE PRECISION NOT NULL,
    "gold_trials" INTEGER NOT NULL DEFAULT 0,
    "gold_accuracy" DOUBLE PRECISION,
    "gold_low" DOUBLE PRECISION,
    "gold_high" DOUBLE PRECISION,
    "agreement_with_consensus" DOUBLE PRECISION,
    "agreement_with_model" DOUBLE PRECISION,
    "flagged" BOOLEAN NOT NULL DEFAULT false,
    "reasons" JSONB NOT NULL DEFAULT '[]',
    "evidence" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "labeler_reliability_pkey" PRIMARY KEY ("model_version_id","labeler_id")
);

-- CreateIndex
CREATE INDEX "labeler_reliability_campaign_id_labeler_id_idx" ON "labeler_reliability"("campaign_id", "labeler_id");

-- AddForeignKey
ALTER TABLE "labeler_reliability" ADD CONSTRAINT "labeler_reliability_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "labeler_reliability" ADD CONSTRAINT "labeler_reliability_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
