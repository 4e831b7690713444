-- Extra judgments on doubt are opt-in: with an honest crowd a noisy judgment contradicts a confident
-- model often enough to spend much of the budget, and the crowd bench measured no gain from them. The
-- column is new in the same release, so no campaign chose the old default of 2 on purpose.
ALTER TABLE "campaigns" ALTER COLUMN "extra_judgment_cap" SET DEFAULT 0;
UPDATE "campaigns" SET "extra_judgment_cap" = 0;
