/**
 * Downloads of every export format the API offers, with their options, each beside its dataset
 * card (README.md). Exports need the bearer token, so they are fetched as a Blob and saved through a
 * temporary link (never a plain href).
 */
import { EXPORT_FORMATS, type ExportFile, type ExportFormat, POLICY_KINDS, type PolicyKind } from '@borda/api-contract';
import { useState } from 'react';
import { useApi } from '../../auth/session';
import { ErrorAlert } from '../../components/feedback';
import { saveBlob } from '../../components/download';
import { formatBytes, slugify } from '../../components/format';
import { usePolicyVersions } from './queries';

const DESCRIPTIONS: Record<ExportFormat, string> = {
  raw: 'Every stored label (ties, both bad and skips included) with its labeler, weight, timing, sides as shown, the source model of each response and the prompt metadata.',
  trl: 'TRL preference pairs {prompt, chosen, rejected} from decisive judgments (DPO, reward trainers).',
  'trl-conversational': 'TRL pairs in chat form: prompt turns and chosen / rejected assistant turns.',
  openai: 'OpenAI preference fine-tuning: input messages, preferred and non-preferred output.',
  kto: 'KTO lines {prompt, completion, label}: a desirable and an undesirable completion per decisive judgment; both bad gives two undesirable ones, ties are left out.',
  'best-of-n': 'One chat per prompt whose assistant turn is the chosen policy’s pick (needs a fitted policy).',
};

const PREFERENCE_FORMATS: readonly ExportFormat[] = ['trl', 'trl-conversational', 'openai'];
/** The formats whose lines may carry extra keys (openai's may not). */
const MARGIN_FORMATS: readonly ExportFormat[] = ['trl', 'trl-conversational'];
const MODEL_FORMATS: readonly ExportFormat[] = ['trl', 'trl-conversational', 'kto', 'best-of-n'];

const ACCEPT: Record<ExportFile, string> = { jsonl: 'application/x-ndjson', parquet: 'application/vnd.apache.parquet' };

type Aggregate = 'none' | 'majority';

export function ExportPanel({ campaignId, campaignName }: { campaignId: string; campaignName: string }) {
  const api = useApi();
  const [aggregate, setAggregate] = useState<Aggregate>('none');
  const [margin, setMargin] = useState(false);
  const [models, setModels] = useState(false);
  const [file, setFile] = useState<ExportFile>('jsonl');
  const [policy, setPolicy] = useState<PolicyKind>('pessimistic');
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ format: string; saved?: string; error?: unknown } | null>(null);
  // dpo is offered only when the newest policy has a DPO network (it needs reference log-probabilities).
  const newestPolicy = usePolicyVersions(campaignId, false).data?.[0];
  const hasDpo = Boolean(newestPolicy?.summary.dpo);
  const kinds = POLICY_KINDS.filter((kind) => kind !== 'dpo' || hasDpo);
  const chosenPolicy = kinds.includes(policy) ? policy : 'pessimistic';

  function queryFor(format: ExportFormat): Record<string, string | boolean> | undefined {
    const query: Record<string, string | boolean> = {};
    if (PREFERENCE_FORMATS.includes(format)) query.aggregate = aggregate;
    if (MARGIN_FORMATS.includes(format)) query.margin = margin;
    if (MODEL_FORMATS.includes(format) && models) query.models = true;
    if (format === 'best-of-n') query.policy = chosenPolicy;
    if (file !== 'jsonl') query.file = file;
    return Object.keys(query).length ? query : undefined;
  }

  async function download(format: ExportFormat, card: boolean) {
    const what = card ? `${format} dataset card` : format;
    setBusy(what);
    setOutcome(null);
    try {
      const blob = card
        ? await api.fetchBlob(`/campaigns/${campaignId}/exports/card`, {
            accept: 'text/markdown',
            query: { format, ...queryFor(format) },
          })
        : await api.fetchBlob(`/campaigns/${campaignId}/exports/${format}`, {
            accept: ACCEPT[file],
            query: queryFor(format),
          });
      const fileName = `${slugify(campaignName)}-${format}.${card ? 'README.md' : file}`;
      saveBlob(blob, fileName);
      setOutcome({ format: what, saved: `Saved ${fileName} (${formatBytes(blob.size)}).` });
    } catch (error) {
      setOutcome({ format: what, error });
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="export-panel">
      <fieldset className="export-options">
        <legend>Options</legend>
        <div className="form-row">
          <div className="field">
            <label htmlFor="export-aggregate">Repeated judgments (trl, trl-conversational, openai)</label>
            <select id="export-aggregate" value={aggregate} onChange={(e) => setAggregate(e.target.value as Aggregate)}>
              <option value="none">One line per judgment (keep disagreements)</option>
              <option value="majority">One line per comparison: its majority winner</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="export-file">File</label>
            <select id="export-file" value={file} onChange={(e) => setFile(e.target.value as ExportFile)}>
              <option value="jsonl">JSON lines</option>
              <option value="parquet">Parquet</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="export-policy">Best-of-n policy</label>
            <select id="export-policy" value={chosenPolicy} onChange={(e) => setPolicy(e.target.value as PolicyKind)}>
              {kinds.map((kind) => (
                <option key={kind} value={kind}>
                  {kind}
                  {kind === 'pessimistic' ? ' (covered by the certificate)' : ''}
                </option>
              ))}
            </select>
          </div>
        </div>
        <label className="check-label">
          <input type="checkbox" checked={margin} onChange={(e) => setMargin(e.target.checked)} />
          Add a margin from the judgment’s strength (trl, trl-conversational)
        </label>
        <label className="check-label">
          <input type="checkbox" checked={models} onChange={(e) => setModels(e.target.checked)} />
          Name the source model of each response (trl, trl-conversational, kto, best-of-n; raw always does)
        </label>
      </fieldset>
      <ul className="export-list">
        {EXPORT_FORMATS.map((format) => (
          <li key={format}>
            <button
              type="button"
              className="button"
              disabled={busy !== null}
              aria-busy={busy === format}
              onClick={() => void download(format, false)}
            >
              Download {format}
            </button>
            <button
              type="button"
              className="button button-quiet"
              disabled={busy !== null}
              aria-busy={busy === `${format} dataset card`}
              aria-label={`README (dataset card) for ${format}`}
              onClick={() => void download(format, true)}
            >
              README
            </button>
            <span className="muted">{DESCRIPTIONS[format]}</span>
          </li>
        ))}
      </ul>
      {busy && (
        <p role="status" className="loading">
          Preparing the {busy} export…
        </p>
      )}
      {outcome?.saved && (
        <p role="status" className="alert alert-success">
          {outcome.saved}
        </p>
      )}
      {outcome?.error !== undefined && (
        <ErrorAlert error={outcome.error} title={`The ${outcome.format} export failed`} />
      )}
    </div>
  );
}
