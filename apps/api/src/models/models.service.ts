/**
 * What a campaign's owner sees of its reward models and policies. Labelers never reach this
 * (the controller is researcher-only, and CampaignAccessService.manage refuses them): showing model
 * scores to the people producing the labels would anchor their judgments.
 */
import { Injectable } from '@nestjs/common';
import type {
  CertificateResponse,
  CertificateView,
  ModelMetrics,
  ModelVersionDetail,
  ModelListQuery,
  ModelVersionSummary,
  Page,
  PolicyPage,
  PolicyPicks,
  PolicyPromptDetail,
  PolicyQuery,
  PolicyResponseScore,
  PolicySummary,
  PolicyVersionList,
} from '@borda/api-contract';
import { AppError } from '../errors/app-error';
import { ModelsRepository } from './models.repository';
import { isUuid } from '../database';

const SNIPPET_CHARS = 160;
const COMPARISONS_PER_PROMPT = 200;

/** The prompt as one short line: its text, or the last user turn of a conversation. */
export function promptSnippet(text: string | null, messages: unknown): string {
  let s = text ?? '';
  if (!text && Array.isArray(messages)) {
    const turns = messages as { role?: string; content?: unknown }[];
    const last = [...turns].reverse().find((m) => m.role === 'user') ?? turns[turns.length - 1];
    s = typeof last?.content === 'string' ? last.content : '';
  }
  s = s.replace(/\s+/g, ' ').trim();
  return s.length > SNIPPET_CHARS ? `${s.slice(0, SNIPPET_CHARS - 1)}…` : s;
}

/**
 * The policy cursor is the last prompt shown. Pages always read the newest policy version (the
 * learning jobs keep only its entries), continuing from that prompt's position in it: if a new
 * version lands mid-way, later pages follow the new order (`policy.version` tells the client).
 */
function checkCursor(cursor: string): string {
  if (isUuid(cursor)) return cursor;
  throw new AppError('VALIDATION_FAILED', 'cursor is not a cursor this route returned', {
    issues: [{ path: 'cursor', message: 'invalid cursor' }],
  });
}

interface PickColumns {
  greedyResponseId: string;
  pessimisticResponseId: string;
  softResponseId: string;
  dpoResponseId: string | null;
}

const picks = (e: PickColumns): PolicyPicks => ({
  greedy: e.greedyResponseId,
  pessimistic: e.pessimisticResponseId,
  soft: e.softResponseId,
  dpo: e.dpoResponseId,
});

@Injectable()
export class ModelsService {
  constructor(private readonly repository: ModelsRepository) {}

  async list(campaignId: string, query: ModelListQuery): Promise<Page<ModelVersionSummary>> {
    const rows = await this.repository.listVersions({ campaignId, limit: query.limit + 1, before: query.cursor });
    const page = rows.slice(0, query.limit);
    return {
      nextCursor: rows.length > query.limit ? String(page[page.length - 1].version) : null,
      items: page.map((r) => {
        const { calibration: _calibration, ...metrics } = r.metrics as unknown as ModelMetrics;
        return {
          version: r.version,
          kind: r.kind,
          labelCount: r.labelCount,
          metrics,
          gap: (r.certificate as unknown as CertificateView | null)?.gap ?? null,
          createdAt: r.createdAt.toISOString(),
        };
      }),
    };
  }

  async get(campaignId: string, version: number, includeParameters: boolean): Promise<ModelVersionDetail> {
    const row = await this.repository.findVersion({ campaignId, version, includeParameters });
    if (!row) throw AppError.notFound('model version', String(version));
    return {
      id: row.id,
      version: row.version,
      kind: row.kind,
      labelCount: row.labelCount,
      metrics: row.metrics as unknown as ModelMetrics,
      certificate: (row.certificate as unknown as CertificateView | null) ?? null,
      jobRunId: row.jobRunId,
      createdAt: row.createdAt.toISOString(),
      ...(includeParameters ? { parameters: (row as { parameters?: unknown }).parameters } : {}),
    };
  }

  async certificate(campaignId: string): Promise<CertificateResponse> {
    const rows = await this.repository.listVersions({ campaignId });
    if (rows.length === 0) throw new AppError('NO_MODEL_YET', 'no reward model has been fitted for this campaign yet');
    const newest = rows[0];
    const history = rows
      .filter((r) => r.certificate !== null)
      .map((r) => ({
        version: r.version,
        labelCount: r.labelCount,
        gap: (r.certificate as unknown as CertificateView).gap,
      }))
      .reverse();
    return {
      version: newest.version,
      createdAt: newest.createdAt.toISOString(),
      current: (newest.certificate as unknown as CertificateView | null) ?? null,
      history,
    };
  }

  private async latestPolicy(campaignId: string) {
    const policy = await this.repository.findPolicy({ campaignId });
    if (!policy) throw new AppError('NO_MODEL_YET', 'no policy has been fitted for this campaign yet');
    return policy;
  }

  /** Every policy version's summary (with its churn against the one before), newest first. */
  async policyVersions(campaignId: string, limit: number): Promise<PolicyVersionList> {
    const rows = await this.repository.listPolicies({ campaignId, limit });
    return rows.map((p) => ({
      version: p.version,
      modelVersion: p.modelVersion.version,
      labelCount: p.labelCount,
      createdAt: p.createdAt.toISOString(),
      summary: p.summary as unknown as PolicySummary,
    }));
  }

  async policy(campaignId: string, query: PolicyQuery): Promise<PolicyPage> {
    const afterPromptId = query.cursor ? checkCursor(query.cursor) : undefined;
    const policy = await this.latestPolicy(campaignId);
    const rows = await this.repository.policyEntries({
      campaignId,
      policyVersionId: policy.id,
      sort: query.sort,
      limit: query.limit + 1,
      afterPromptId,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      policy: {
        version: policy.version,
        modelVersion: policy.modelVersion.version,
        labelCount: policy.labelCount,
        createdAt: policy.createdAt.toISOString(),
        summary: policy.summary as unknown as PolicySummary,
      },
      items: page.map((r) => ({
        promptId: r.promptId,
        externalId: r.externalId,
        snippet: promptSnippet(r.text, r.messages),
        picks: picks(r),
        mean: r.mean,
        std: r.std,
        confidence: r.lcbMargin,
        gap: r.gap,
      })),
      nextCursor: rows.length > query.limit ? last.promptId : null,
    };
  }

  async promptDetail(campaignId: string, promptId: string): Promise<PolicyPromptDetail> {
    const policy = await this.latestPolicy(campaignId);
    const prompt = await this.repository.findPrompt({ campaignId, promptId });
    if (!prompt) throw AppError.notFound('prompt', promptId);
    const entry = await this.repository.policyEntry({ campaignId, policyVersionId: policy.id, promptId });
    if (!entry) {
      throw AppError.notFound(
        'policy entry',
        `${promptId} (the prompt arrived after policy version ${policy.version})`,
      );
    }
    const texts = new Map(prompt.responses.map((r) => [r.id, r.text]));
    const scores = [...(entry.responses as unknown as PolicyResponseScore[])].sort((a, b) => b.mean - a.mean);
    const comparisons = await this.repository.labelledComparisons({
      campaignId,
      promptId,
      limit: COMPARISONS_PER_PROMPT,
    });
    return {
      policy: { version: policy.version, modelVersion: policy.modelVersion.version },
      prompt: {
        id: prompt.id,
        externalId: prompt.externalId,
        text: prompt.text,
        messages: prompt.messages,
        metadata: prompt.metadata,
      },
      responses: scores.map((s, i) => ({ ...s, text: texts.get(s.responseId) ?? '', rank: i + 1 })),
      picks: picks(entry),
      confidence: entry.lcbMargin,
      gap: entry.gap,
      comparisons: comparisons.map((c) => ({
        id: c.id,
        firstResponseId: c.firstResponseId,
        secondResponseId: c.secondResponseId,
        strategy: c.strategy,
        score: c.score,
        modelVersion: c.modelVersion?.version ?? null,
        state: c.state,
        createdAt: c.createdAt.toISOString(),
        labels: c.labels.map((l) => ({
          id: l.id,
          labelerId: l.labelerId,
          labelerName: l.labeler.name,
          choice: l.choice,
          leftResponseId: l.leftResponseId,
          rightResponseId: l.rightResponseId,
          outcome: l.outcome,
          strength: l.strength,
          rationale: l.rationale,
          skipReason: l.skipReason,
          timeTakenMs: l.timeTakenMs,
          createdAt: l.createdAt.toISOString(),
        })),
      })),
    };
  }
}
