/**
 * The dashboard's "Edit settings" form: its values (text, as typed) from a campaign, validation by
 * the API's own updateCampaignSchema, and the PATCH body, which carries only the fields that changed
 * (so an unrelated, concurrent change elsewhere is not overwritten with what the form showed).
 */
import { type CampaignView, updateCampaignSchema, type UpdateCampaignRequest } from '@borda/api-contract';
import type { z } from 'zod';
import type { FieldErrors, FieldName } from './campaign-form';

/** Fields any campaign may change. */
export const TUNABLE_FIELDS = [
  'name',
  'description',
  'guidelines',
  'budget',
  'retrainEvery',
  'batchSize',
  'bufferSize',
  'leaseSeconds',
  'yardstickShare',
] as const;
/** Fields only a draft may change (the API refuses them later: they shape the data already collected). */
export const DRAFT_ONLY_FIELDS = ['strategy', 'model', 'redundancy'] as const;

export type SettingsField = (typeof TUNABLE_FIELDS)[number] | (typeof DRAFT_ONLY_FIELDS)[number];
export type SettingsValues = Record<SettingsField, string>;

const NUMERIC = new Set<SettingsField>([
  'budget',
  'retrainEvery',
  'batchSize',
  'bufferSize',
  'leaseSeconds',
  'yardstickShare',
  'redundancy',
]);

export function settingsFromCampaign(campaign: CampaignView): SettingsValues {
  return {
    name: campaign.name,
    description: campaign.description,
    guidelines: campaign.guidelines,
    budget: String(campaign.budget),
    retrainEvery: String(campaign.retrainEvery),
    batchSize: String(campaign.batchSize),
    bufferSize: String(campaign.bufferSize),
    leaseSeconds: String(campaign.leaseSeconds),
    yardstickShare: String(campaign.yardstickShare),
    strategy: campaign.strategy,
    model: campaign.model,
    redundancy: String(campaign.redundancy),
  };
}

export const editableFields = (campaign: CampaignView): readonly SettingsField[] =>
  campaign.status === 'draft' ? [...TUNABLE_FIELDS, ...DRAFT_ONLY_FIELDS] : TUNABLE_FIELDS;

function typed(field: SettingsField, text: string): unknown {
  if (!NUMERIC.has(field)) return field === 'name' ? text.trim() : text;
  return text.trim() === '' ? undefined : Number(text);
}

/** zod's generic wording, rewritten for a person filling in a form. */
function humanMessage(field: SettingsField | undefined, issue: z.core.$ZodIssue): string {
  if (field && NUMERIC.has(field)) {
    if (issue.code === 'invalid_type') {
      if (issue.input === undefined) return 'Required.';
      return field === 'yardstickShare' ? 'Enter a number.' : 'Enter a whole number.';
    }
    if (issue.code === 'too_small' && issue.message.startsWith('Too small'))
      return `Must be at least ${issue.minimum}.`;
    if (issue.code === 'too_big' && issue.message.startsWith('Too big')) return `Must be at most ${issue.maximum}.`;
  }
  if (field === 'name' && issue.code === 'too_small') return 'Give the campaign a name.';
  return issue.message;
}

export interface SettingsOutcome {
  /** The PATCH body (only changed fields); absent when something is wrong. */
  readonly patch?: UpdateCampaignRequest;
  readonly fieldErrors: FieldErrors;
  readonly otherErrors: readonly string[];
}

/**
 * Every editable field is validated, not only the changed ones: the batch/buffer rule spans two
 * fields, and a batch size raised past the unchanged buffer size must be refused here too.
 */
export function validateSettings(campaign: CampaignView, values: SettingsValues): SettingsOutcome {
  const fields = editableFields(campaign);
  const original = settingsFromCampaign(campaign);
  const full = Object.fromEntries(fields.map((f) => [f, typed(f, values[f])]));
  const fieldErrors: FieldErrors = {};
  const otherErrors: string[] = [];
  const parsed = updateCampaignSchema.safeParse(full, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const head = String(issue.path[0] ?? '');
      const field = (fields as readonly string[]).includes(head) ? (head as SettingsField) : undefined;
      const message = humanMessage(field, issue);
      if (field) fieldErrors[field as FieldName] ??= message;
      else otherErrors.push(message);
    }
  }
  // The server refuses this too; saying it here saves a round trip.
  const budget = full.budget as number | undefined;
  if (!fieldErrors.budget && budget !== undefined && budget < campaign.labelCount) {
    fieldErrors.budget = `Cannot be below the ${campaign.labelCount} judgments already collected.`;
  }
  if (Object.keys(fieldErrors).length > 0 || otherErrors.length > 0) return { fieldErrors, otherErrors };
  const changed = fields.filter((f) => typed(f, values[f]) !== typed(f, original[f]));
  const patch = Object.fromEntries(changed.map((f) => [f, full[f]])) as UpdateCampaignRequest;
  return { patch, fieldErrors, otherErrors };
}
