-- Harmful content flags (issue 14 item 4). A labeler flags the comparison they hold, which also skips it
-- for them, and the campaign researcher resolves or dismisses the flag from a queue. One flag per
-- assignment, so a retried flag request stores nothing twice.
CREATE TABLE "content_flags" (
    "id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "comparison_id" UUID NOT NULL,
    "assignment_id" UUID NOT NULL,
    "labeler_id" UUID NOT NULL,
    "note" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMP(3),
    "resolved_by" UUID,
    "resolution" TEXT,

    CONSTRAINT "content_flags_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "content_flags_assignment_id_key" ON "content_flags"("assignment_id");
CREATE INDEX "content_flags_campaign_id_resolved_at_created_at_idx" ON "content_flags"("campaign_id", "resolved_at", "created_at");

ALTER TABLE "content_flags" ADD CONSTRAINT "content_flags_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "content_flags" ADD CONSTRAINT "content_flags_comparison_id_fkey" FOREIGN KEY ("comparison_id") REFERENCES "comparisons"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "content_flags" ADD CONSTRAINT "content_flags_labeler_id_fkey" FOREIGN KEY ("labeler_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "content_flags" ADD CONSTRAINT "content_flags_resolved_by_fkey" FOREIGN KEY ("resolved_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
