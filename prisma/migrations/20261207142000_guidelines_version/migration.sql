-- Versioned labeler instructions (issue 14 item 5). A change of a started campaign guidelines raises
-- guidelines_version, whichever code path or tool writes it, and labelers must acknowledge the current
-- version (campaign_labelers.guidelines_ack_version) before they are given more work. Version 1, the
-- guidelines a campaign starts with, needs no acknowledgement.
ALTER TABLE "campaigns" ADD COLUMN "guidelines_version" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "campaign_labelers" ADD COLUMN "guidelines_ack_version" INTEGER;
ALTER TABLE "campaign_labelers" ADD COLUMN "guidelines_ack_at" TIMESTAMP(3);

-- The trigger body is an escape string that spells each semicolon as the octal escape 073, because
-- prisma migrate deploy splits a script at every semicolon.
CREATE FUNCTION "campaign_guidelines_version"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
    NEW.guidelines_version := OLD.guidelines_version + 1\073
    RETURN NEW\073
END ';

CREATE TRIGGER "campaign_guidelines_version" BEFORE UPDATE OF "guidelines" ON "campaigns"
    FOR EACH ROW WHEN (OLD."status" <> 'draft' AND NEW."guidelines" IS DISTINCT FROM OLD."guidelines")
    EXECUTE FUNCTION "campaign_guidelines_version"();
