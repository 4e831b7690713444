-- Judgments imported with a dataset (issue 13 item 2) are labels of the Imported judgments pseudo-labeler
-- whose source names the import format. Null for judgments given in Borda.
ALTER TABLE "labels" ADD COLUMN "source" TEXT;
