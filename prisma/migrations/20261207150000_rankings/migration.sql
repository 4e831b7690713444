-- Ranking campaigns (issue 14 item 3). A campaign option judgment_mode (pairwise or ranking) with
-- rank_size responses per ranking task, both structural (draft only). A ranking task reuses the
-- comparison row and its slots and leases: ranking_response_ids holds the k responses of the task,
-- the comparison pair first. One rankings row per judged task, and its k(k-1)/2 implied pairwise
-- judgments in ranking_pairs (what the reward-model fit learns from). The label that fills the
-- lease slot is marked with ranking_id so the fit does not count that pair twice.
ALTER TABLE "campaigns" ADD COLUMN "judgment_mode" TEXT NOT NULL DEFAULT 'pairwise',
    ADD COLUMN "rank_size" INTEGER NOT NULL DEFAULT 4;
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_judgment_mode_check" CHECK ("judgment_mode" IN ('pairwise', 'ranking'));
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_rank_size_check" CHECK ("rank_size" BETWEEN 3 AND 8);

ALTER TABLE "comparisons" ADD COLUMN "ranking_response_ids" UUID[];
ALTER TABLE "labels" ADD COLUMN "ranking_id" UUID;

CREATE TABLE "rankings" (
    "id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "comparison_id" UUID NOT NULL,
    "assignment_id" UUID NOT NULL,
    "labeler_id" UUID NOT NULL,
    "order" UUID[] NOT NULL,
    "time_taken_ms" INTEGER,
    "idempotency_key" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rankings_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "rankings_assignment_id_key" ON "rankings"("assignment_id");
CREATE UNIQUE INDEX "rankings_labeler_id_idempotency_key_key" ON "rankings"("labeler_id", "idempotency_key");
CREATE INDEX "rankings_campaign_id_created_at_idx" ON "rankings"("campaign_id", "created_at");
ALTER TABLE "rankings" ADD CONSTRAINT "rankings_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "rankings" ADD CONSTRAINT "rankings_comparison_id_fkey" FOREIGN KEY ("comparison_id") REFERENCES "comparisons"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "rankings" ADD CONSTRAINT "rankings_assignment_id_fkey" FOREIGN KEY ("assignment_id") REFERENCES "assignments"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "rankings" ADD CONSTRAINT "rankings_labeler_id_fkey" FOREIGN KEY ("labeler_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- One implied judgment: winner ranked above loser.
CREATE TABLE "ranking_pairs" (
    "id" UUID NOT NULL,
    "ranking_id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "winner_id" UUID NOT NULL,
    "loser_id" UUID NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ranking_pairs_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ranking_pairs_ranking_id_winner_id_loser_id_key" ON "ranking_pairs"("ranking_id", "winner_id", "loser_id");
CREATE INDEX "ranking_pairs_campaign_id_idx" ON "ranking_pairs"("campaign_id");
ALTER TABLE "ranking_pairs" ADD CONSTRAINT "ranking_pairs_ranking_id_fkey" FOREIGN KEY ("ranking_id") REFERENCES "rankings"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ranking_pairs" ADD CONSTRAINT "ranking_pairs_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every non-gold comparison a ranking campaign gets, from whichever code path, becomes a ranking task:
-- the selected pair plus rank_size - 2 other responses of the prompt drawn uniformly at random
-- (synthetic gold copies never). A prompt with fewer responses gives a shorter task (at least the pair).
-- Escape-string body with the octal 073 for semicolons (see 20261207130000_comparison_slots).
CREATE FUNCTION "comparison_ranking_fill"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
    IF NEW.gold_response_id IS NULL AND NEW.ranking_response_ids IS NULL THEN
        SELECT ARRAY[NEW.first_response_id, NEW.second_response_id] || COALESCE((
            SELECT array_agg(x.id) FROM (
                SELECT r.id FROM responses r
                WHERE r.prompt_id = NEW.prompt_id AND NOT r.synthetic
                  AND r.id <> NEW.first_response_id AND r.id <> NEW.second_response_id
                ORDER BY random() LIMIT k.rank_size - 2) x), ARRAY[]::uuid[])
        INTO NEW.ranking_response_ids
        FROM campaigns k WHERE k.id = NEW.campaign_id AND k.judgment_mode = ''ranking''\073
    END IF\073
    RETURN NEW\073
END ';

CREATE TRIGGER "comparison_ranking_fill" BEFORE INSERT ON "comparisons"
    FOR EACH ROW EXECUTE FUNCTION "comparison_ranking_fill"();
