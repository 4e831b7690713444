/**
 * The data browser: comparison rows with their labels, the filter facets, and one comparison as a
 * labeler saw it (its sides in that labeler's assignment order). Access is checked by the controller.
 */
import { Injectable } from '@nestjs/common';
import type {
  BrowseComparison,
  BrowseFacets,
  BrowseLabel,
  BrowsePage,
  BrowseQuery,
  BrowseResponse,
  BrowseRow,
} from '@borda/api-contract';
import { isUuid } from '../database';
import { AppError } from '../errors/app-error';
import { type BrowseLabelRecord, type BrowseRowRecord, BrowseRepository } from './browse.repository';

function toLabel(l: BrowseLabelRecord): BrowseLabel {
  return {
    id: l.id,
    labeler: { id: l.labelerId, name: l.name, email: l.email },
    choice: l.choice,
    outcome: l.outcome,
    strength: l.strength,
    rationale: l.rationale,
    skipReason: l.skipReason,
    timeTakenMs: l.timeTakenMs,
    firstOnLeft: l.firstOnLeft,
    source: l.source,
    submittedAt: l.createdAt.toISOString(),
  };
}

function toRow(r: BrowseRowRecord, labels: BrowseLabel[]): BrowseRow {
  return {
    id: r.id,
    state: r.state,
    promptId: r.promptId,
    promptExternalId: r.promptExternalId,
    promptExcerpt: r.promptExcerpt,
    metadata: r.metadata ?? {},
    first: { id: r.firstId, excerpt: r.firstText, sourceModel: r.firstModel },
    second: { id: r.secondId, excerpt: r.secondText, sourceModel: r.secondModel },
    labelsRequired: r.labelsRequired,
    labels,
    agreement: r.agreement,
    skipped: r.skipped,
    gold: r.gold,
    yardstick: r.yardstick,
    createdAt: r.createdAt.toISOString(),
  };
}

@Injectable()
export class BrowseService {
  constructor(private readonly repository: BrowseRepository) {}

  async comparisons(campaignId: string, query: BrowseQuery): Promise<BrowsePage> {
    // One row more than asked tells whether another page exists without a count.
    const found = await this.repository.rows({ campaignId, query, take: query.limit + 1 });
    const page = found.slice(0, query.limit);
    const labels = await this.repository.labels({ campaignId, comparisonIds: page.map((r) => r.id) });
    const byComparison = new Map<string, BrowseLabel[]>();
    for (const l of labels) {
      const list = byComparison.get(l.comparisonId) ?? [];
      list.push(toLabel(l));
      byComparison.set(l.comparisonId, list);
    }
    return {
      rows: page.map((r) => toRow(r, byComparison.get(r.id) ?? [])),
      nextCursor: found.length > query.limit ? String(page[page.length - 1].position) : null,
    };
  }

  async facets(campaignId: string): Promise<BrowseFacets> {
    const facets = await this.repository.facets({ campaignId });
    return { ...facets, metadata: facets.metadata.map((m) => ({ ...m, values: m.values ?? [] })) };
  }

  async comparison(campaignId: string, comparisonId: string, labelId?: string): Promise<BrowseComparison> {
    const row = isUuid(comparisonId) ? await this.repository.row({ campaignId, comparisonId }) : undefined;
    if (!row) throw AppError.notFound('comparison', comparisonId);
    const labels = (await this.repository.labels({ campaignId, comparisonIds: [row.id] })).map(toLabel);
    const shown = labelId === undefined ? labels[0] : labels.find((l) => l.id === labelId);
    if (labelId !== undefined && !shown) throw AppError.notFound('label', labelId);
    const first: BrowseResponse = { id: row.firstId, text: row.firstText, sourceModel: row.firstModel };
    const second: BrowseResponse = { id: row.secondId, text: row.secondText, sourceModel: row.secondModel };
    const firstOnLeft = shown?.firstOnLeft ?? true;
    return {
      id: row.id,
      state: row.state,
      strategy: row.strategy,
      gold: row.gold,
      yardstick: row.yardstick,
      prompt: {
        id: row.promptId,
        externalId: row.promptExternalId,
        text: row.promptText,
        messages: row.promptMessages ?? null,
        metadata: row.metadata ?? {},
      },
      first,
      second,
      shownFor: shown?.id ?? null,
      left: firstOnLeft ? first : second,
      right: firstOnLeft ? second : first,
      labels,
    };
  }
}
