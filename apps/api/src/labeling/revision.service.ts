/**
 * POST /assignments/:id/revise: a labeler changes their own judgment within the campaign's undo
 * window (issue 10 item 7). Idempotent like submit: the key names the revision, a repeat answers the
 * stored one, a different request under a used key is IDEMPOTENCY_MISMATCH. When a published model
 * already trained on the old value, a refit is queued after the commit.
 */
import { Injectable, Logger } from '@nestjs/common';
import type { CrowdConflict, ReviseLabelRequest, ReviseResponse } from '@borda/api-contract';
import type { AuthUser } from '../auth/decorators';
import { isUniqueViolation, isUuid } from '../database';
import { AppError } from '../errors/app-error';
import { JobChain } from '../jobs/job-chain.service';
import { LabelingRepository, type LabelRow } from './labeling.repository';
import { labelView, outcomeOf } from './labeling.service';
import { RevisionRepository, type RevisionRow } from './revision.repository';

const conflict = (reason: CrowdConflict, message: string, details: Record<string, unknown> = {}) =>
  new AppError('CONFLICT', message, { reason, ...details });

function response(label: LabelRow, revision: RevisionRow, duplicate: boolean): ReviseResponse {
  return {
    label: labelView(label),
    revision: {
      id: revision.id,
      oldChoice: revision.old_choice as ReviseResponse['revision']['oldChoice'],
      newChoice: revision.new_choice as ReviseResponse['revision']['newChoice'],
      createdAt: revision.created_at.toISOString(),
    },
    duplicate,
  };
}

@Injectable()
export class RevisionService {
  private readonly logger = new Logger('RevisionService');

  constructor(
    private readonly labeling: LabelingRepository,
    private readonly revisions: RevisionRepository,
    private readonly jobChain: JobChain,
  ) {}

  async revise(user: AuthUser, id: string, body: ReviseLabelRequest): Promise<ReviseResponse> {
    if (!isUuid(id)) throw AppError.notFound('assignment', id);
    let result: { response: ReviseResponse; campaignId: string; labelId: string };
    try {
      result = await this.reviseOnce(user, id, body);
    } catch (error) {
      // The same key raced in from a parallel request: the retry answers the stored revision.
      if (!isUniqueViolation(error)) throw error;
      result = await this.reviseOnce(user, id, body);
    }
    if (!result.response.duplicate && (await this.revisions.inFittedModel(result.campaignId, result.labelId))) {
      try {
        await this.jobChain.fitNow(result.campaignId);
      } catch (error) {
        this.logger.warn(`refit after a revision not queued (reconciliation will catch up): ${String(error)}`);
      }
    }
    return result.response;
  }

  private reviseOnce(user: AuthUser, id: string, body: ReviseLabelRequest) {
    const strength = body.strength ?? null;
    return this.labeling.transaction(async (tx) => {
      const a = await this.labeling.lockAssignment(tx, id);
      if (!a) throw AppError.notFound('assignment', id);
      if (a.labeler_id !== user.id) throw new AppError('LEASE_NOT_HELD', `assignment ${id} is not yours`);
      const keyed = await this.revisions.revisionByKey(tx, user.id, body.idempotencyKey);
      if (keyed) {
        const label = await this.revisions.labelById(tx, keyed.label_id);
        if (label.assignment_id !== a.id || keyed.new_choice !== body.choice || keyed.new_strength !== strength) {
          throw new AppError(
            'IDEMPOTENCY_MISMATCH',
            `idempotencyKey ${body.idempotencyKey} was used for another revision`,
            {
              field: 'idempotencyKey',
              assignmentId: label.assignment_id,
            },
          );
        }
        return { response: response(label, keyed, true), campaignId: a.campaign_id, labelId: label.id };
      }
      const label = await this.revisions.lockLabel(tx, a.id);
      if (!label || label.choice === 'skip') {
        throw conflict('NOT_REVISABLE', `assignment ${id} has no judgment to change`);
      }
      if (a.campaign_status !== 'active' && a.campaign_status !== 'paused') {
        throw new AppError('CAMPAIGN_NOT_ACTIVE', `campaign ${a.campaign_id} is ${a.campaign_status}`);
      }
      if (!label.within_window) {
        throw conflict(
          'UNDO_WINDOW_CLOSED',
          `judgments can be changed for ${label.undo_window_seconds} s; this one is older`,
          { label: labelView(label), undoWindowSeconds: label.undo_window_seconds },
        );
      }
      const { label: updated, revision } = await this.revisions.revise(tx, label, {
        choice: body.choice,
        strength,
        // Where an aspect trains, the outcome is that aspect's answer, which a revision of the main choice keeps.
        outcome: a.training_aspect ? label.outcome : outcomeOf(body.choice, a.first_on_left),
        idempotencyKey: body.idempotencyKey,
      });
      return { response: response(updated, revision, false), campaignId: a.campaign_id, labelId: label.id };
    });
  }
}
