/**
 * Labelers changing their own judgments (issue 10 item 7): the label keeps the newest value, every
 * change is a label_revisions row (old and new value, when), and the comparison's decisive vote
 * counters follow. Locks: assignment → comparison (LabelingRepository.lockAssignment) → label.
 */
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import type { LabelRow } from './labeling.repository';
import type { Tx } from './lease.repository';

export interface RevisionRow {
  id: string;
  label_id: string;
  old_choice: LabelRow['choice'];
  new_choice: LabelRow['choice'];
  old_strength: number | null;
  new_strength: number | null;
  created_at: Date;
}

export interface RevisableLabel extends LabelRow {
  /** created_at + the campaign's undo window is still ahead. */
  within_window: boolean;
  undo_window_seconds: number;
}

@Injectable()
export class RevisionRepository {
  constructor(private readonly prisma: PrismaService) {}

  async revisionByKey(tx: Tx, labelerId: string, key: string): Promise<RevisionRow | null> {
    const rows = await tx.$queryRaw<RevisionRow[]>`
      SELECT id, label_id, old_choice::text AS old_choice, new_choice::text AS new_choice, old_strength, new_strength,
             created_at
      FROM label_revisions WHERE labeler_id = ${labelerId}::uuid AND idempotency_key = ${key}`;
    return rows[0] ?? null;
  }

  /** The label of an assignment, locked, with whether the campaign's undo window still covers it. */
  async lockLabel(tx: Tx, assignmentId: string): Promise<RevisableLabel | null> {
    const rows = await tx.$queryRaw<RevisableLabel[]>`
      SELECT l.*, l.choice::text AS choice, k.undo_window_seconds,
             l.created_at + make_interval(secs => k.undo_window_seconds) > now() AS within_window
      FROM labels l JOIN campaigns k ON k.id = l.campaign_id
      WHERE l.assignment_id = ${assignmentId}::uuid
      FOR UPDATE OF l`;
    return rows[0] ?? null;
  }

  async labelById(tx: Tx, labelId: string): Promise<LabelRow> {
    const rows = await tx.$queryRaw<LabelRow[]>`SELECT * FROM labels WHERE id = ${labelId}::uuid`;
    return rows[0];
  }

  /** The first value a label had (before any revision), or null when it was never revised. */
  async original(tx: Tx, labelId: string): Promise<{ choice: string; strength: number | null } | null> {
    const rows = await tx.$queryRaw<{ choice: string; strength: number | null }[]>`
      SELECT old_choice::text AS choice, old_strength AS strength FROM label_revisions
      WHERE label_id = ${labelId}::uuid ORDER BY created_at, id LIMIT 1`;
    return rows[0] ?? null;
  }

  /**
   * Changes the label, moves the comparison's decisive votes from the old outcome to the new one
   * (gold checks never counted) and records the revision, in one statement.
   */
  async revise(
    tx: Tx,
    label: LabelRow,
    change: { choice: LabelRow['choice']; strength: number | null; outcome: number | null; idempotencyKey: string },
  ): Promise<{ label: LabelRow; revision: RevisionRow }> {
    const delta = (outcome: number) =>
      Prisma.sql`(CASE WHEN ${change.outcome}::float8 = ${outcome} THEN 1 ELSE 0 END -
                  CASE WHEN ${label.outcome}::float8 = ${outcome} THEN 1 ELSE 0 END)`;
    const rows = await tx.$queryRaw<(RevisionRow & { label: LabelRow })[]>`
      WITH l AS (
        UPDATE labels SET choice = ${change.choice}::"Choice", outcome = ${change.outcome}::float8,
               strength = ${change.strength}::int
        WHERE id = ${label.id}::uuid
        RETURNING *),
      cmp AS (
        UPDATE comparisons SET votes_first = votes_first + ${delta(1)}, votes_second = votes_second + ${delta(0)}
        WHERE id = ${label.comparison_id}::uuid AND NOT ${label.gold}),
      r AS (
        INSERT INTO label_revisions (id, campaign_id, label_id, labeler_id, idempotency_key, old_choice, new_choice,
                                     old_outcome, new_outcome, old_strength, new_strength)
        SELECT gen_random_uuid(), l.campaign_id, l.id, l.labeler_id, ${change.idempotencyKey},
               ${label.choice}::"Choice", l.choice, ${label.outcome}::float8, l.outcome, ${label.strength}::int,
               l.strength
        FROM l
        RETURNING *)
      SELECT r.id, r.label_id, r.old_choice::text AS old_choice, r.new_choice::text AS new_choice, r.old_strength,
             r.new_strength, r.created_at, row_to_json(l.*) AS label
      FROM r, l`;
    const { label: raw, ...revision } = rows[0];
    return { label: { ...raw, created_at: new Date(raw.created_at as unknown as string) }, revision };
  }

  /** Whether a published model version was fitted after the label was stored (so it trained on the old value). */
  async inFittedModel(campaignId: string, labelId: string): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<{ fitted: boolean }[]>`
      SELECT EXISTS (SELECT 1 FROM model_versions m WHERE m.campaign_id = ${campaignId}::uuid
                     AND m.created_at > (SELECT created_at FROM labels WHERE id = ${labelId}::uuid)) AS fitted`;
    return rows[0]?.fitted === true;
  }
}
