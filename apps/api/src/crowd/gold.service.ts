/**
 * Gold comparisons for the researcher: mark an existing comparison, import JSONL, generate
 * response-vs-degraded-copy pairs (deterministic under the campaign seed), list with grades.
 */
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type FieldIssue,
  type GenerateGoldResult,
  type GoldImportResult,
  type GoldSource,
  type GoldSummary,
  type generateGoldSchema,
  goldImportLineSchema,
  type MarkGoldRequest,
} from '@borda/api-contract';
import { Rng } from '@borda/numeric';
import type { z } from 'zod';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/decorators';
import { CampaignAccessService } from '../campaigns/campaign-access.service';
import { AppError } from '../errors/app-error';
import { CrowdRepository } from './crowd.repository';
import { degrade } from './degrade';
import { type GoldPairInput, GoldRepository } from './gold.repository';

/** Gold imports are small (one line per pair): read at most this much. */
export const GOLD_IMPORT_MAX_BYTES = 8 * 1024 * 1024;

/** A stable 32-bit stream number for a response: its degraded copy depends only on (seed, response). */
function streamOf(responseId: string): number {
  return createHash('sha256').update(responseId).digest().readUInt32LE(0);
}

@Injectable()
export class GoldService {
  constructor(
    private readonly gold: GoldRepository,
    private readonly crowd: CrowdRepository,
    private readonly access: CampaignAccessService,
    private readonly audit: AuditService,
  ) {}

  async list(user: AuthUser, campaignId: string): Promise<GoldSummary> {
    const campaign = await this.access.manage(user, campaignId);
    const rows = await this.gold.list({ campaignId, limit: 1000 });
    return {
      goldRate: campaign.goldRate,
      goldFeedback: campaign.goldFeedback,
      comparisons: rows.map((r) => ({
        comparisonId: r.comparisonId,
        promptId: r.promptId,
        promptText: r.promptText,
        first: { id: r.firstId, text: r.firstText, synthetic: r.firstSynthetic },
        second: { id: r.secondId, text: r.secondText, synthetic: r.secondSynthetic },
        answer: r.answer,
        source: r.source as GoldSource,
        graded: r.graded,
        correct: r.correct,
      })),
    };
  }

  /** Marks a labeled (not open) comparison as gold: `answer` must be one of its two responses. */
  async mark(user: AuthUser, campaignId: string, body: MarkGoldRequest) {
    await this.access.manage(user, campaignId);
    await this.setAnswer(campaignId, body.comparisonId, body.answer, 'marked');
    await this.audit.record(user.id, campaignId, 'gold.marked', { ...body });
    return { comparisonId: body.comparisonId, answer: body.answer, source: 'marked' as const };
  }

  /** Shared with review adjudication: checks the comparison and the answer, then stores it. */
  async setAnswer(campaignId: string, comparisonId: string, answer: string, source: 'marked' | 'review') {
    const c = await this.crowd.comparison({ campaignId, comparisonId });
    if (!c) throw AppError.notFound('comparison', comparisonId);
    if (answer !== c.firstResponseId && answer !== c.secondResponseId) {
      throw new AppError('VALIDATION_FAILED', 'answer must be the id of one of the comparison’s two responses', {
        issues: [{ path: 'answer', message: 'not a response of this comparison' }],
      });
    }
    if (
      c.state === 'open' ||
      !(await this.crowd.setGoldAnswer({ campaignId, comparisonId }, { responseId: answer, source }))
    ) {
      throw new AppError('CONFLICT', `comparison ${comparisonId} is still being labeled; mark it once it is complete`, {
        reason: 'COMPARISON_OPEN',
      });
    }
  }

  /** JSONL of {promptId, responseIds: [a, b], answer} by the import's external ids; all or nothing. */
  async import(user: AuthUser, campaignId: string, text: string): Promise<GoldImportResult> {
    await this.access.manage(user, campaignId);
    const errors: FieldIssue[] = [];
    const parsed: { line: number; value: z.output<typeof goldImportLineSchema> }[] = [];
    text.split('\n').forEach((raw, index) => {
      const line = index + 1;
      if (raw.trim() === '') return;
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        errors.push({ line, path: '', message: 'not valid JSON' });
        return;
      }
      const result = goldImportLineSchema.safeParse(json);
      if (!result.success) {
        for (const issue of result.error.issues)
          errors.push({ line, path: issue.path.join('.'), message: issue.message });
      } else parsed.push({ line, value: result.data });
    });
    const prompts = await this.gold.resolveExternal({
      campaignId,
      promptIds: [...new Set(parsed.map((p) => p.value.promptId))],
    });
    const pairs: GoldPairInput[] = [];
    for (const { line, value } of parsed) {
      const prompt = prompts.get(value.promptId);
      if (!prompt) {
        errors.push({ line, path: 'promptId', message: `no prompt ${value.promptId} in this campaign` });
        continue;
      }
      const [a, b] = value.responseIds.map((id) => prompt.responses.get(id));
      value.responseIds.forEach((id, i) => {
        if (!prompt.responses.has(id))
          errors.push({ line, path: `responseIds.${i}`, message: `no response ${id} under prompt ${value.promptId}` });
      });
      if (value.responseIds[0] === value.responseIds[1])
        errors.push({ line, path: 'responseIds', message: 'the two responses must differ' });
      if (!value.responseIds.includes(value.answer))
        errors.push({ line, path: 'answer', message: 'answer must be one of responseIds' });
      if (a && b)
        pairs.push({
          promptId: prompt.id,
          firstResponseId: a,
          secondResponseId: b,
          answer: prompt.responses.get(value.answer) ?? a,
        });
    }
    if (errors.length > 0) {
      const lines = [...new Set(errors.map((e) => e.line))].slice(0, 10).join(', ');
      throw new AppError('IMPORT_INVALID', `problem(s) on line(s) ${lines}; no gold was imported`, {
        errors: errors.slice(0, 100),
        errorCount: errors.length,
      });
    }
    if (pairs.length === 0)
      throw new AppError('IMPORT_INVALID', 'the import holds no gold pairs', { errors: [], errorCount: 0 });
    const created = await this.gold.insertImported({ campaignId, pairs });
    await this.audit.record(user.id, campaignId, 'gold.imported', { created });
    return { created };
  }

  /**
   * `count` responses (an order hashed from the campaign seed) each against a degraded copy of
   * itself; the copy of a response depends only on (campaign seed, response), so regenerating after
   * a reset gives the same gold. Responses too short for every allowed degradation are passed over.
   */
  async generate(
    user: AuthUser,
    campaignId: string,
    body: z.output<typeof generateGoldSchema>,
  ): Promise<GenerateGoldResult> {
    const campaign = await this.access.manage(user, campaignId);
    const sources = await this.gold.sourceResponses({ campaignId, seed: campaign.seed, limit: body.count * 4 });
    const root = new Rng(campaign.seed);
    const comparisonIds: string[] = [];
    for (const source of sources) {
      if (comparisonIds.length >= body.count) break;
      const copy = degrade(source.text, body.degradations, root.fork(streamOf(source.id)));
      if (!copy) continue;
      comparisonIds.push(
        await this.gold.insertGenerated({ campaignId, source, copy: copy.text, degradation: copy.kind }),
      );
    }
    await this.audit.record(user.id, campaignId, 'gold.generated', {
      requested: body.count,
      created: comparisonIds.length,
      degradations: body.degradations,
    });
    return { created: comparisonIds.length, comparisonIds };
  }
}
