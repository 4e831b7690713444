-- Leases as slot rows (issue 11 item 1). A comparison has labels_required slots. A lease takes one
-- slot in one UPDATE whose availability condition reads only the slot row itself, so Postgres
-- re-checks it under the row lock and two labelers can never hold the same slot: no lease is ever
-- recounted and given back. assignments stays the record of a lease (labeler, sides, label) and
-- names the slot it holds in assignments.slot. Gold checks hold no slot (slot stays null).
CREATE TYPE "SlotState" AS ENUM ('open', 'leased', 'filled');

CREATE TABLE "comparison_slots" (
    "comparison_id" UUID NOT NULL,
    "slot" INTEGER NOT NULL,
    "campaign_id" UUID NOT NULL,
    "state" "SlotState" NOT NULL DEFAULT 'open',
    "holder" UUID,
    "assignment_id" UUID,
    "expires_at" TIMESTAMP(3),

    CONSTRAINT "comparison_slots_pkey" PRIMARY KEY ("comparison_id", "slot")
);

-- Live leases of a campaign (the budget guard counts them) are a range scan of this index.
CREATE INDEX "comparison_slots_leased" ON "comparison_slots"("campaign_id", "expires_at") WHERE "state" = 'leased';

ALTER TABLE "comparison_slots" ADD CONSTRAINT "comparison_slots_comparison_id_fkey" FOREIGN KEY ("comparison_id") REFERENCES "comparisons"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "comparison_slots" ADD CONSTRAINT "comparison_slots_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "assignments" ADD COLUMN "slot" INTEGER;

-- Existing comparisons get their slots: filled ones for the judgments received, then leased ones
-- for their unended leases (live first), the rest open. Leases beyond labels_required (what the old
-- recount would have given back) get no slot, so they cannot store a judgment.
INSERT INTO "comparison_slots" ("comparison_id", "slot", "campaign_id", "state")
SELECT c."id", g.i, c."campaign_id", CASE WHEN g.i < c."labels_received" THEN 'filled'::"SlotState" ELSE 'open'::"SlotState" END
FROM "comparisons" c, generate_series(0, c."labels_required" - 1) AS g(i);

WITH judged AS (
    SELECT a."id", a."comparison_id", a."labeler_id",
           row_number() OVER (PARTITION BY a."comparison_id" ORDER BY a."finished_at", a."id") - 1 AS n
    FROM "assignments" a
    WHERE a."state" = 'submitted' AND NOT a."gold"
      AND EXISTS (SELECT 1 FROM "labels" l WHERE l."assignment_id" = a."id" AND l."choice" <> 'skip')),
marked AS (
    UPDATE "comparison_slots" s SET "holder" = j."labeler_id", "assignment_id" = j."id"
    FROM judged j
    WHERE s."comparison_id" = j."comparison_id" AND s."slot" = j.n AND s."state" = 'filled'
    RETURNING s."comparison_id", s."slot", j."id")
UPDATE "assignments" a SET "slot" = m."slot" FROM marked m WHERE a."id" = m."id";

WITH held AS (
    SELECT a."id", a."comparison_id", a."labeler_id", a."expires_at",
           c."labels_received" + row_number() OVER (PARTITION BY a."comparison_id" ORDER BY a."expires_at" DESC, a."id") - 1 AS n
    FROM "assignments" a JOIN "comparisons" c ON c."id" = a."comparison_id"
    WHERE a."state" = 'leased' AND NOT a."gold" AND c."state" = 'open'),
taken AS (
    UPDATE "comparison_slots" s SET "state" = 'leased', "holder" = h."labeler_id", "assignment_id" = h."id",
           "expires_at" = h."expires_at"
    FROM held h
    WHERE s."comparison_id" = h."comparison_id" AND s."slot" = h.n AND s."state" = 'open'
    RETURNING s."slot", h."id")
UPDATE "assignments" a SET "slot" = t."slot" FROM taken t WHERE a."id" = t."id";

-- prisma migrate deploy (the js schema engine) splits a script at every semicolon, even inside
-- a function body, so the trigger functions below are escape strings that spell each semicolon
-- as the octal escape 073. Postgres reads them as ordinary PL/pgSQL.
-- Every comparison has its slots from the statement that creates it, and more from the statement
-- that raises labels_required (extra judgments, split votes), in the same transaction, whichever
-- code path or tool writes the comparison. Judgments a comparison arrives with (imports) fill slots.
CREATE FUNCTION "comparison_slots_create"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
    INSERT INTO comparison_slots (comparison_id, slot, campaign_id, state)
    SELECT n.id, g.i, n.campaign_id, CASE WHEN g.i < n.labels_received THEN ''filled'' ELSE ''open'' END::"SlotState"
    FROM new_rows n, generate_series(0, n.labels_required - 1) AS g(i)
    ON CONFLICT DO NOTHING\073
    RETURN NULL\073
END ';

CREATE TRIGGER "comparison_slots_create" AFTER INSERT ON "comparisons"
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "comparison_slots_create"();

CREATE FUNCTION "comparison_slots_grow"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
    INSERT INTO comparison_slots (comparison_id, slot, campaign_id)
    SELECT NEW.id, g.i, NEW.campaign_id FROM generate_series(OLD.labels_required, NEW.labels_required - 1) AS g(i)
    ON CONFLICT DO NOTHING\073
    RETURN NULL\073
END ';

CREATE TRIGGER "comparison_slots_grow" AFTER UPDATE OF "labels_required" ON "comparisons"
    FOR EACH ROW WHEN (NEW."labels_required" > OLD."labels_required") EXECUTE FUNCTION "comparison_slots_grow"();

-- The slot follows the lease that holds it. A lease that is extended keeps its slot, a judgment
-- fills it, a skip or an early end (pausing a labeler, completing a campaign) opens it. Only the slot
-- still held by this assignment changes, so a slot taken over after expiry is left alone. Marking an
-- already expired lease expired changes nothing (its slot is available already), so the periodic
-- expiry never waits on slot locks.
CREATE FUNCTION "assignment_slot_follow"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
    IF NEW.state = ''expired'' AND NEW.expires_at = OLD.expires_at AND NEW.expires_at <= now() THEN
        RETURN NULL\073
    END IF\073
    UPDATE comparison_slots s SET
        state = CASE NEW.state WHEN ''leased'' THEN ''leased'' WHEN ''submitted'' THEN ''filled'' ELSE ''open'' END::"SlotState",
        holder = CASE WHEN NEW.state IN (''leased'', ''submitted'') THEN NEW.labeler_id END,
        assignment_id = CASE WHEN NEW.state IN (''leased'', ''submitted'') THEN NEW.id END,
        expires_at = CASE WHEN NEW.state = ''leased'' THEN NEW.expires_at END
    WHERE s.comparison_id = NEW.comparison_id AND s.slot = NEW.slot AND s.assignment_id = NEW.id
      AND s.state = ''leased''\073
    RETURN NULL\073
END ';

CREATE TRIGGER "assignment_slot_follow" AFTER UPDATE OF "state", "expires_at" ON "assignments"
    FOR EACH ROW WHEN (NEW."slot" IS NOT NULL AND (OLD."state" IS DISTINCT FROM NEW."state"
                       OR OLD."expires_at" IS DISTINCT FROM NEW."expires_at"))
    EXECUTE FUNCTION "assignment_slot_follow"();
