-- At most one unfinished run per job key: the database half of job deduplication (not expressible in schema.prisma).
CREATE UNIQUE INDEX "job_runs_unfinished_key" ON "job_runs"("job_key") WHERE "state" IN ('queued', 'active');

-- Leasing scans only open comparisons, in order.
CREATE INDEX "comparisons_open_position" ON "comparisons"("campaign_id", "position") WHERE "state" = 'open';
