-- The buffer a campaign keeps ahead of its labelers, in available slots, as the workers last sized it
-- from the labeling rate (apps/api/src/jobs/buffer-target.ts). 0 until the first selection: the
-- API then falls back to buffer_size × redundancy.
ALTER TABLE "campaigns" ADD COLUMN "buffer_target" INTEGER NOT NULL DEFAULT 0;
