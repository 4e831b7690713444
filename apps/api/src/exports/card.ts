/**
 * The dataset card (README.md) that goes beside an export: what the campaign was, how its
 * comparisons were chosen, what it holds, and — the part a trainer needs — what ties, both-bad
 * judgments and skips became in the chosen format. Pure: the controller gathers the counts.
 */
import type { ExportCardQuery } from '@borda/api-contract';
import type { Campaign } from '../database';
import type { CardCountsRow, CardModelRow } from './exports.repository';

const FORMAT_SHAPE: Record<ExportCardQuery['format'], string> = {
  raw: 'one line per stored label (judgments, ties, both-bad and skips), with its labeler, weight, timing, the source model of each response and the prompt metadata',
  trl: 'TRL preference pairs `{prompt, chosen, rejected}` with plain-text prompt and completions',
  'trl-conversational': 'TRL conversational preference pairs `{prompt, chosen, rejected}` as message lists',
  openai: 'OpenAI preference fine-tuning lines `{input: {messages}, preferred_output, non_preferred_output}`',
  kto: 'TRL KTO (unpaired) lines `{prompt, completion, label}`',
  'best-of-n': 'SFT lines `{messages}`: each prompt with the current policy’s pick as the assistant turn',
};

function treatment(q: ExportCardQuery): string[] {
  switch (q.format) {
    case 'raw':
      return [
        '- **A / B**: kept; `outcome` is 1 when the comparison’s first response won, 0 when the second did (sides were randomised per labeler: `left`/`right` are as shown).',
        '- **Ties**: kept, `outcome` 0.5.',
        '- **Both bad**: kept, `outcome` null.',
        '- **Skips**: kept, `outcome` null, with the labeler’s `skipReason`.',
        '- `weight` / `weightSign` / `consensus`: the crowd reliability model’s weight of each label and the comparison’s weighted consensus at the newest fit (null before one).',
      ];
    case 'kto':
      return [
        '- **A / B**: two lines, the chosen response with `label: true` and the rejected one with `label: false`.',
        '- **Both bad**: two lines, both responses with `label: false` (neither was acceptable).',
        '- **Ties**: left out (a tie says the two are alike, not whether either is desirable).',
        '- **Skips**: left out (no judgment).',
      ];
    case 'best-of-n':
      return [
        `- Lines come from the newest policy version’s \`${q.policy}\` pick per prompt, not from individual labels; ties, both-bad and skips only shaped the reward model behind it.`,
      ];
    default: {
      const lines = [
        '- **A / B**: a pair with the preferred response as `chosen`.',
        '- **Ties**, **both bad** and **skips**: left out (none has a chosen/rejected pair); the raw export keeps them.',
      ];
      if (q.aggregate === 'none') {
        lines.push(
          '- One line per judgment: a comparison judged by three labelers gives three lines, disagreements kept.',
        );
      } else if (q.aggregate === 'majority') {
        lines.push('- One line per comparison, its majority winner among the decisive votes; exact splits dropped.');
      } else {
        lines.push(
          '- One line per comparison, the winner of the crowd reliability model’s consensus (labels weighed by who gave them); majority where no fit has weighed it; exact ½ dropped.',
        );
      }
      if (q.margin && q.format !== 'openai') {
        lines.push(
          '- `margin` = the labeler’s strength / 3 (slightly 1/3, clearly 2/3, much 1; none 0); with aggregation, the mean over the winning votes.',
        );
      }
      return lines;
    }
  }
}

function modelFields(q: ExportCardQuery): string {
  if (q.format === 'raw')
    return '- Source models: `left.model` / `right.model` on every line (null where the import gave none).';
  if (q.format === 'openai') return '- Source models: not included (the OpenAI format allows no extra keys; use raw).';
  if (!q.models) return '- Source models: not included (add `models=true`).';
  const keys = ['trl', 'trl-conversational'].includes(q.format) ? '`chosen_model` / `rejected_model`' : '`model`';
  return `- Source models: ${keys} (null where the import gave none).`;
}

function expectedLines(q: ExportCardQuery, c: CardCountsRow): string {
  switch (q.format) {
    case 'raw':
      return String(c.a + c.b + c.ties + c.bothBad + c.skips);
    case 'kto':
      return String(2 * (c.a + c.b + c.bothBad));
    case 'best-of-n':
      return `${c.prompts} (one per prompt of the policy)`;
    default:
      return q.aggregate === 'none' ? String(c.a + c.b) : `at most ${c.decisiveComparisons} (one per comparison)`;
  }
}

function queryString(q: ExportCardQuery): string {
  const params = new URLSearchParams();
  if (q.file !== 'jsonl') params.set('file', q.file);
  if (['trl', 'trl-conversational', 'openai'].includes(q.format)) {
    if (q.aggregate !== 'none') params.set('aggregate', q.aggregate);
    if (q.margin && q.format !== 'openai') params.set('margin', 'true');
  }
  if (q.models && ['trl', 'trl-conversational', 'kto', 'best-of-n'].includes(q.format)) params.set('models', 'true');
  if (q.format === 'best-of-n' && q.policy !== 'pessimistic') params.set('policy', q.policy);
  const s = params.toString();
  return s ? `?${s}` : '';
}

const yamlString = (s: string) => JSON.stringify(s);

export function datasetCard(
  campaign: Campaign,
  q: ExportCardQuery,
  counts: CardCountsRow,
  models: readonly CardModelRow[],
  generatedAt: Date,
): string {
  const judgments = counts.a + counts.b + counts.ties + counts.bothBad;
  const named = models.filter((m) => m.model !== null);
  const withoutModel = models.find((m) => m.model === null)?.responses ?? 0;
  const modelLines = named.length
    ? named.map((m) => `| ${m.model!.replace(/\|/g, '\\|')} | ${m.responses} |`)
    : ['| (none given at import) | — |'];
  const file =
    q.file === 'parquet'
      ? 'Parquet: one row group per batch, message lists as list<struct<role, content>>, the raw prompt as JSON text'
      : 'JSON lines';
  return [
    '---',
    `pretty_name: ${yamlString(campaign.name)}`,
    'tags: [rlhf, preference, pairwise-comparison, borda]',
    '---',
    '',
    `# ${campaign.name}`,
    '',
    campaign.description || '_No description._',
    '',
    `Export **${q.format}** (${file}) of Borda campaign \`${campaign.id}\`, generated ${generatedAt.toISOString()}.`,
    `Download: \`GET /campaigns/${campaign.id}/exports/${q.format}${queryString(q)}\`.`,
    '',
    '## Format',
    '',
    `${FORMAT_SHAPE[q.format]}. Expected lines: ${expectedLines(q, counts)}.`,
    '',
    '## How judgments became lines',
    '',
    ...treatment(q),
    modelFields(q),
    `- Labels of excluded labelers are in no export (${counts.excludedLabels} labels from ${counts.excludedLabelers} labelers left out).`,
    '',
    '## Campaign',
    '',
    `- Status: ${campaign.status}; created ${campaign.createdAt.toISOString()}.`,
    `- Selection strategy: \`${campaign.strategy}\` (options ${JSON.stringify(campaign.strategyOptions)}), ${Math.round(campaign.yardstickShare * 100)} % of comparisons drawn uniformly at random as a yardstick.`,
    `- Reward model: \`${campaign.modelKind}\`; refitted every ${campaign.retrainEvery} judgments.`,
    `- Redundancy: ${campaign.redundancy} labeler(s) per comparison; budget ${campaign.budget} judgments.`,
    '',
    '## Counts',
    '',
    '| | |',
    '|---|---|',
    `| Prompts | ${counts.prompts} |`,
    `| Responses | ${counts.responses} |`,
    `| Comparisons judged | ${counts.comparisons} |`,
    `| Judgments (A/B/tie/both bad) | ${judgments} |`,
    `| Decisive (A or B) | ${counts.a + counts.b} |`,
    `| Ties | ${counts.ties} |`,
    `| Both bad | ${counts.bothBad} |`,
    `| Skips | ${counts.skips} |`,
    `| Labelers | ${counts.labelers} |`,
    '',
    '## Source models',
    '',
    '| Model | Responses |',
    '|---|---|',
    ...modelLines,
    ...(withoutModel > 0 ? [`| (no model given) | ${withoutModel} |`] : []),
    '',
  ].join('\n');
}
