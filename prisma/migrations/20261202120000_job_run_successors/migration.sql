-- One queued successor per job key may wait while a run of that key is active (a trigger that
-- arrives during a fit is kept instead of being dropped as a duplicate), and at most one run of a
-- key is active at a time: each state has its own partial unique index.
DROP INDEX "job_runs_unfinished_key";
CREATE UNIQUE INDEX "job_runs_queued_key" ON "job_runs"("job_key") WHERE "state" = 'queued';
CREATE UNIQUE INDEX "job_runs_active_key" ON "job_runs"("job_key") WHERE "state" = 'active';
