/**
 * The validated import held as column arrays (one array per database column) rather than one
 * object per row: 900k responses cost a few arrays of strings, and the arrays are what the
 * unnest() INSERT binds anyway.
 */
import { randomUUID } from 'node:crypto';
import type { PromptRow } from './import-line';

export class ImportColumns {
  readonly prompt = {
    id: [] as string[],
    externalId: [] as string[],
    text: [] as (string | null)[],
    messages: [] as (string | null)[],
    metadata: [] as string[],
    embedding: [] as (string | null)[],
  };

  readonly response = {
    id: [] as string[],
    promptId: [] as string[],
    ordinal: [] as number[],
    externalId: [] as (string | null)[],
    text: [] as string[],
    model: [] as (string | null)[],
    refLogprob: [] as (number | null)[],
    metadata: [] as string[],
    embedding: [] as (string | null)[],
  };

  /**
   * Existing judgments, each one comparison + assignment + label. The first response of the
   * comparison alternates between the chosen and the rejected one, so the imported labels are not
   * all "A" (which a position-bias estimate would read as a biased labeler).
   */
  readonly judgment = {
    comparisonId: [] as string[],
    promptId: [] as string[],
    firstId: [] as string[],
    secondId: [] as string[],
    /** 1 when the first response is the chosen one, else 0 (the label's outcome). */
    outcome: [] as number[],
    goldId: [] as string[],
  };

  /** The label source of the judgments (the import format: one per import). */
  source = '';

  get promptCount(): number {
    return this.prompt.id.length;
  }

  get responseCount(): number {
    return this.response.id.length;
  }

  add(row: PromptRow, source: string): void {
    this.source = source;
    const promptId = randomUUID();
    const p = this.prompt;
    p.id.push(promptId);
    p.externalId.push(row.externalId);
    p.text.push(row.text);
    p.messages.push(row.messages);
    p.metadata.push(row.metadata);
    p.embedding.push(row.embedding);
    const r = this.response;
    const ids = row.responses.map(() => randomUUID());
    row.responses.forEach((response, ordinal) => {
      r.id.push(ids[ordinal]);
      r.promptId.push(promptId);
      r.ordinal.push(ordinal);
      r.externalId.push(response.externalId);
      r.text.push(response.text);
      r.model.push(response.model);
      r.refLogprob.push(response.refLogprob);
      r.metadata.push(response.metadata);
      r.embedding.push(response.embedding);
    });
    const j = this.judgment;
    for (const judgment of row.judgments) {
      const chosenFirst = j.comparisonId.length % 2 === 0;
      const chosen = ids[judgment.chosen];
      const rejected = ids[judgment.rejected];
      j.comparisonId.push(randomUUID());
      j.promptId.push(promptId);
      j.firstId.push(chosenFirst ? chosen : rejected);
      j.secondId.push(chosenFirst ? rejected : chosen);
      j.outcome.push(chosenFirst ? 1 : 0);
      j.goldId.push(chosen);
    }
  }
}
