-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'researcher', 'labeler');

-- CreateEnum
CREATE TYPE "CampaignStatus" AS ENUM ('draft', 'active', 'paused', 'completed', 'archived');

-- CreateEnum
CREATE TYPE "ComparisonState" AS ENUM ('open', 'complete', 'cancelled');

-- CreateEnum
CREATE TYPE "AssignmentState" AS ENUM ('leased', 'submitted', 'skipped', 'expired');

-- CreateEnum
CREATE TYPE "Choice" AS ENUM ('A', 'B', 'tie', 'both_bad', 'skip');

-- CreateEnum
CREATE TYPE "JobState" AS ENUM ('queued', 'active', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "SimulationState" AS ENUM ('queued', 'running', 'completed', 'failed');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "password_hash" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMP(3),

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "expires_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaigns" (
    "id" UUID NOT NULL,
    "owner_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "guidelines" TEXT NOT NULL DEFAULT '',
    "status" "CampaignStatus" NOT NULL DEFAULT 'draft',
    "strategy" TEXT NOT NULL,
    "strategy_options" JSONB NOT NULL DEFAULT '{}',
    "model_kind" TEXT NOT NULL,
    "model_options" JSONB NOT NULL DEFAULT '{}',
    "budget" INTEGER NOT NULL,
    "redundancy" INTEGER NOT NULL DEFAULT 1,
    "retrain_every" INTEGER NOT NULL DEFAULT 50,
    "batch_size" INTEGER NOT NULL DEFAULT 16,
    "buffer_size" INTEGER NOT NULL DEFAULT 32,
    "lease_seconds" INTEGER NOT NULL DEFAULT 300,
    "feature_source" TEXT NOT NULL DEFAULT 'text',
    "feature_dim" INTEGER NOT NULL DEFAULT 32,
    "seed" INTEGER NOT NULL DEFAULT 1,
    "label_count" INTEGER NOT NULL DEFAULT 0,
    "labels_at_last_fit" INTEGER NOT NULL DEFAULT 0,
    "prompt_count" INTEGER NOT NULL DEFAULT 0,
    "response_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "started_at" TIMESTAMP(3),
    "completed_at" TIMESTAMP(3),

    CONSTRAINT "campaigns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaign_labelers" (
    "campaign_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "assigned_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaign_labelers_pkey" PRIMARY KEY ("campaign_id","user_id")
);

-- CreateTable
CREATE TABLE "import_batches" (
    "id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "uploader_id" UUID NOT NULL,
    "prompt_count" INTEGER NOT NULL,
    "response_count" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "import_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "prompts" (
    "id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "text" TEXT,
    "messages" JSONB,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "embedding" BYTEA,
    "featurized_at" TIMESTAMP(3),
    "import_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "prompts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "responses" (
    "id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "prompt_id" UUID NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "external_id" TEXT,
    "text" TEXT NOT NULL,
    "source_model" TEXT,
    "reference_logprob" DOUBLE PRECISION,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "embedding" BYTEA,
    "featurized_at" TIMESTAMP(3),

    CONSTRAINT "responses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "comparisons" (
    "id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "prompt_id" UUID NOT NULL,
    "first_response_id" UUID NOT NULL,
    "second_response_id" UUID NOT NULL,
    "strategy" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "model_version_id" UUID,
    "selection_run_id" UUID,
    "position" SERIAL NOT NULL,
    "state" "ComparisonState" NOT NULL DEFAULT 'open',
    "labels_required" INTEGER NOT NULL,
    "labels_received" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMP(3),

    CONSTRAINT "comparisons_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "assignments" (
    "id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "comparison_id" UUID NOT NULL,
    "labeler_id" UUID NOT NULL,
    "state" "AssignmentState" NOT NULL DEFAULT 'leased',
    "first_on_left" BOOLEAN NOT NULL,
    "leased_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "assignments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "labels" (
    "id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "comparison_id" UUID NOT NULL,
    "assignment_id" UUID NOT NULL,
    "labeler_id" UUID NOT NULL,
    "choice" "Choice" NOT NULL,
    "left_response_id" UUID NOT NULL,
    "right_response_id" UUID NOT NULL,
    "outcome" DOUBLE PRECISION,
    "strength" INTEGER,
    "rationale" TEXT,
    "skip_reason" TEXT,
    "time_taken_ms" INTEGER,
    "idempotency_key" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "labels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_versions" (
    "id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "label_count" INTEGER NOT NULL,
    "metrics" JSONB NOT NULL,
    "certificate" JSONB,
    "parameters" JSONB NOT NULL,
    "job_run_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_versions" (
    "id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "model_version_id" UUID NOT NULL,
    "label_count" INTEGER NOT NULL,
    "summary" JSONB NOT NULL,
    "dpo_parameters" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_entries" (
    "policy_version_id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "prompt_id" UUID NOT NULL,
    "greedy_response_id" UUID NOT NULL,
    "pessimistic_response_id" UUID NOT NULL,
    "soft_response_id" UUID NOT NULL,
    "dpo_response_id" UUID,
    "mean" DOUBLE PRECISION NOT NULL,
    "std" DOUBLE PRECISION NOT NULL,
    "lcb" DOUBLE PRECISION NOT NULL,
    "ucb" DOUBLE PRECISION NOT NULL,
    "lcb_margin" DOUBLE PRECISION NOT NULL,
    "gap" DOUBLE PRECISION NOT NULL,
    "responses" JSONB NOT NULL,

    CONSTRAINT "policy_entries_pkey" PRIMARY KEY ("policy_version_id","prompt_id")
);

-- CreateTable
CREATE TABLE "job_runs" (
    "id" UUID NOT NULL,
    "campaign_id" UUID,
    "name" TEXT NOT NULL,
    "job_key" TEXT NOT NULL,
    "state" "JobState" NOT NULL DEFAULT 'queued',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "payload" JSONB NOT NULL,
    "result" JSONB,
    "error" TEXT,
    "queued_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "job_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "simulations" (
    "id" UUID NOT NULL,
    "owner_id" UUID NOT NULL,
    "state" "SimulationState" NOT NULL DEFAULT 'queued',
    "config" JSONB NOT NULL,
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "result" JSONB,
    "error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "simulations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" SERIAL NOT NULL,
    "actor_id" UUID,
    "campaign_id" UUID,
    "action" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "api_tokens_user_id_idx" ON "api_tokens"("user_id");

-- CreateIndex
CREATE INDEX "campaigns_owner_id_idx" ON "campaigns"("owner_id");

-- CreateIndex
CREATE INDEX "campaigns_status_idx" ON "campaigns"("status");

-- CreateIndex
CREATE INDEX "campaign_labelers_user_id_idx" ON "campaign_labelers"("user_id");

-- CreateIndex
CREATE INDEX "import_batches_campaign_id_idx" ON "import_batches"("campaign_id");

-- CreateIndex
CREATE UNIQUE INDEX "prompts_campaign_id_external_id_key" ON "prompts"("campaign_id", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "prompts_campaign_id_ordinal_key" ON "prompts"("campaign_id", "ordinal");

-- CreateIndex
CREATE INDEX "responses_campaign_id_idx" ON "responses"("campaign_id");

-- CreateIndex
CREATE UNIQUE INDEX "responses_prompt_id_ordinal_key" ON "responses"("prompt_id", "ordinal");

-- CreateIndex
CREATE INDEX "comparisons_campaign_id_state_position_idx" ON "comparisons"("campaign_id", "state", "position");

-- CreateIndex
CREATE INDEX "comparisons_prompt_id_idx" ON "comparisons"("prompt_id");

-- CreateIndex
CREATE INDEX "assignments_campaign_id_labeler_id_state_idx" ON "assignments"("campaign_id", "labeler_id", "state");

-- CreateIndex
CREATE INDEX "assignments_campaign_id_state_expires_at_idx" ON "assignments"("campaign_id", "state", "expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "assignments_comparison_id_labeler_id_key" ON "assignments"("comparison_id", "labeler_id");

-- CreateIndex
CREATE UNIQUE INDEX "labels_assignment_id_key" ON "labels"("assignment_id");

-- CreateIndex
CREATE INDEX "labels_campaign_id_created_at_idx" ON "labels"("campaign_id", "created_at");

-- CreateIndex
CREATE INDEX "labels_comparison_id_idx" ON "labels"("comparison_id");

-- CreateIndex
CREATE UNIQUE INDEX "labels_labeler_id_idempotency_key_key" ON "labels"("labeler_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "model_versions_campaign_id_version_key" ON "model_versions"("campaign_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "policy_versions_campaign_id_version_key" ON "policy_versions"("campaign_id", "version");

-- CreateIndex
CREATE INDEX "policy_entries_campaign_id_prompt_id_idx" ON "policy_entries"("campaign_id", "prompt_id");

-- CreateIndex
CREATE INDEX "job_runs_campaign_id_name_state_idx" ON "job_runs"("campaign_id", "name", "state");

-- CreateIndex
CREATE INDEX "job_runs_state_name_idx" ON "job_runs"("state", "name");

-- CreateIndex
CREATE INDEX "job_runs_job_key_idx" ON "job_runs"("job_key");

-- CreateIndex
CREATE INDEX "simulations_owner_id_idx" ON "simulations"("owner_id");

-- CreateIndex
CREATE INDEX "audit_log_campaign_id_created_at_idx" ON "audit_log"("campaign_id", "created_at");

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_labelers" ADD CONSTRAINT "campaign_labelers_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_labelers" ADD CONSTRAINT "campaign_labelers_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_batches" ADD CONSTRAINT "import_batches_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prompts" ADD CONSTRAINT "prompts_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "responses" ADD CONSTRAINT "responses_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "responses" ADD CONSTRAINT "responses_prompt_id_fkey" FOREIGN KEY ("prompt_id") REFERENCES "prompts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "comparisons" ADD CONSTRAINT "comparisons_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "comparisons" ADD CONSTRAINT "comparisons_prompt_id_fkey" FOREIGN KEY ("prompt_id") REFERENCES "prompts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "comparisons" ADD CONSTRAINT "comparisons_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_comparison_id_fkey" FOREIGN KEY ("comparison_id") REFERENCES "comparisons"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_labeler_id_fkey" FOREIGN KEY ("labeler_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "labels" ADD CONSTRAINT "labels_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "labels" ADD CONSTRAINT "labels_comparison_id_fkey" FOREIGN KEY ("comparison_id") REFERENCES "comparisons"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "labels" ADD CONSTRAINT "labels_assignment_id_fkey" FOREIGN KEY ("assignment_id") REFERENCES "assignments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "labels" ADD CONSTRAINT "labels_labeler_id_fkey" FOREIGN KEY ("labeler_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_entries" ADD CONSTRAINT "policy_entries_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_entries" ADD CONSTRAINT "policy_entries_policy_version_id_fkey" FOREIGN KEY ("policy_version_id") REFERENCES "policy_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_runs" ADD CONSTRAINT "job_runs_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "simulations" ADD CONSTRAINT "simulations_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- At most one unfinished run per job key: the database half of job deduplication (not expressible in schema.prisma).
CREATE UNIQUE INDEX "job_runs_unfinished_key" ON "job_runs"("job_key") WHERE "state" IN ('queued', 'active');

-- Leasing scans only open comparisons, in order.
CREATE INDEX "comparisons_open_position" ON "comparisons"("campaign_id", "position") WHERE "state" = 'open';
