/**
 * A new campaign in three steps on one page: settings (creates a draft), prompts (a checked JSONL
 * import) and launch. A draft left after step 1 is not lost: its dashboard offers the same import
 * and start, and the page links there.
 */
import type { CampaignView, ImportResult } from '@borda/api-contract';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ErrorAlert } from '../components/feedback';
import { CampaignSettingsForm } from './campaign/CampaignSettingsForm';
import { formatCount } from '../components/format';
import { ImportPreview } from './campaign/ImportPreview';
import { useCampaignAction } from './campaign/useCampaignAction';
import './campaign/console.css';

const STEPS = ['Settings', 'Prompts', 'Launch'] as const;

export function CreateCampaignPage() {
  const [campaign, setCampaign] = useState<CampaignView | null>(null);
  const [imported, setImported] = useState<ImportResult | null>(null);
  const step = !campaign ? 1 : !imported ? 2 : 3;
  const stepHeading = useRef<HTMLHeadingElement>(null);

  // Each new step takes focus, so keyboard and screen-reader users land where the work continues.
  useEffect(() => {
    if (step > 1) stepHeading.current?.focus();
  }, [step]);

  return (
    <div className="console-page create-campaign">
      <p>
        <Link to="/console">← Campaigns</Link>
      </p>
      <h1>New campaign</h1>
      <ol className="steps" aria-label="Progress">
        {STEPS.map((name, index) => (
          <li
            key={name}
            aria-current={index + 1 === step ? 'step' : undefined}
            className={index + 1 < step ? 'is-done' : index + 1 === step ? 'is-current' : undefined}
          >
            {index + 1}. {name}
            {index + 1 < step && <span className="visually-hidden"> (done)</span>}
          </li>
        ))}
      </ol>

      {!campaign ? (
        <section className="card" aria-labelledby="step-settings">
          <h2 id="step-settings">1. Settings</h2>
          <CampaignSettingsForm onCreated={setCampaign} />
        </section>
      ) : (
        <>
          <section className="card" aria-labelledby="step-settings">
            <h2 id="step-settings">1. Settings</h2>
            <p>
              Draft <strong>{campaign.name}</strong> created: {campaign.strategy} strategy, model {campaign.model},
              budget {formatCount(campaign.budget)} labels. You can{' '}
              <Link to={`/console/campaigns/${campaign.id}`}>finish later from its dashboard</Link>.
            </p>
          </section>
          <section className="card" aria-labelledby="step-prompts">
            <h2 id="step-prompts" ref={step === 2 ? stepHeading : undefined} tabIndex={-1}>
              2. Prompts
            </h2>
            <p className="muted">Import the prompts and candidate responses labelers will compare.</p>
            <ImportPreview campaignId={campaign.id} onImported={setImported} />
          </section>
          <section className="card" aria-labelledby="step-launch">
            <h2 id="step-launch" ref={step === 3 ? stepHeading : undefined} tabIndex={-1}>
              3. Launch
            </h2>
            <LaunchStep campaign={campaign} imported={imported} />
          </section>
        </>
      )}
    </div>
  );
}

function LaunchStep({ campaign, imported }: { campaign: CampaignView; imported: ImportResult | null }) {
  const navigate = useNavigate();
  const action = useCampaignAction(campaign.id);
  const dashboard = `/console/campaigns/${campaign.id}`;
  return (
    <>
      <p>
        {imported
          ? `${formatCount(imported.totalPrompts)} prompts ready. Starting opens the campaign to its labelers.`
          : 'Import prompts first: a campaign starts once it has prompts to compare.'}
      </p>
      <div className="button-row">
        <button
          type="button"
          className="button button-primary"
          disabled={!imported || action.isPending}
          onClick={() => action.mutate('start', { onSuccess: () => navigate(dashboard) })}
        >
          {action.isPending ? 'Starting…' : 'Start campaign'}
        </button>
        <Link className="button" to={dashboard}>
          Open the dashboard without starting
        </Link>
      </div>
      <ErrorAlert error={action.error} title="The campaign could not be started" />
    </>
  );
}
