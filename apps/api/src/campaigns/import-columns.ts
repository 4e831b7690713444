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

  get promptCount(): number {
    return this.prompt.id.length;
  }

  get responseCount(): number {
    return this.response.id.length;
  }

  add(row: PromptRow): void {
    const promptId = randomUUID();
    const p = this.prompt;
    p.id.push(promptId);
    p.externalId.push(row.externalId);
    p.text.push(row.text);
    p.messages.push(row.messages);
    p.metadata.push(row.metadata);
    p.embedding.push(row.embedding);
    const r = this.response;
    row.responses.forEach((response, ordinal) => {
      r.id.push(randomUUID());
      r.promptId.push(promptId);
      r.ordinal.push(ordinal);
      r.externalId.push(response.externalId);
      r.text.push(response.text);
      r.model.push(response.model);
      r.refLogprob.push(response.refLogprob);
      r.metadata.push(response.metadata);
      r.embedding.push(response.embedding);
    });
  }
}
