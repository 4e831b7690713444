/** The dashboard's sections below the header; each reads what it shows, so one failing read costs one section. */
import type { CampaignView } from '@borda/api-contract';
import type { ReactNode } from 'react';
import { ErrorAlert, Loading } from '../../components/feedback';
import { AgreementPanel } from './charts/AgreementPanel';
import { BudgetChart } from './charts/BudgetChart';
import { CalibrationChart } from './charts/CalibrationChart';
import { CertificateChart } from './charts/CertificateChart';
import { LabelerBiasChart } from './charts/LabelerBiasChart';
import { LabelerSpeedChart } from './charts/LabelerSpeedChart';
import { LabelerVolumeChart } from './charts/LabelerVolumeChart';
import { LabelsOverTimeChart } from './charts/LabelsOverTimeChart';
import { ModelVersionsChart } from './charts/ModelVersionsChart';
import { PolicyChurnChart } from './charts/PolicyChurnChart';
import { YardstickChart } from './charts/YardstickChart';
import { ImportPreview } from './ImportPreview';
import { JobsPanel } from './JobsPanel';
import { LabelerTable } from './LabelerTable';
import {
  useCampaignStats,
  useCertificate,
  useModelVersion,
  useModelVersions,
  usePolicyVersions,
  useRefreshCampaign,
} from './queries';

export function DashboardSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="dashboard-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** Drafts get the import open; live campaigns can add prompts from a collapsed panel; finished ones cannot. */
export function PromptsSection({ campaign }: { campaign: CampaignView }) {
  const refresh = useRefreshCampaign(campaign.id);
  const panel = <ImportPreview campaignId={campaign.id} onImported={() => void refresh()} />;
  if (campaign.status === 'draft') {
    return (
      <DashboardSection id="section-prompts" title="Prompts">
        <p className="muted">
          {campaign.promptCount === 0
            ? 'This draft has no prompts yet: import a JSONL file, then start the campaign.'
            : `This draft has ${campaign.promptCount} prompts. Import more, or start the campaign above.`}
        </p>
        <div className="card">{panel}</div>
      </DashboardSection>
    );
  }
  if (campaign.status === 'active' || campaign.status === 'paused') {
    return (
      <details className="card add-prompts">
        <summary>Add prompts to this campaign</summary>
        {panel}
      </details>
    );
  }
  return null;
}

export function ProgressSection({ campaign, live }: { campaign: CampaignView; live: boolean }) {
  const stats = useCampaignStats(campaign.id, live);
  return (
    <DashboardSection id="section-progress" title="Labeling progress">
      {stats.isPending && <Loading label="Loading statistics…" />}
      <ErrorAlert error={stats.error} title="Statistics could not be loaded" />
      {stats.data && (
        <div className="grid-2">
          <LabelsOverTimeChart stats={stats.data} />
          <LabelerVolumeChart labelers={stats.data.labelers} />
          <BudgetChart budget={stats.data.budget} />
        </div>
      )}
    </DashboardSection>
  );
}

export function ModelSection({ campaign, live }: { campaign: CampaignView; live: boolean }) {
  const campaignId = campaign.id;
  const versions = useModelVersions(campaignId, live);
  const policies = usePolicyVersions(campaignId, live);
  const newest = versions.data?.items[0]?.version;
  const certificate = useCertificate(campaignId, live, newest !== undefined);
  const detail = useModelVersion(campaignId, newest);
  return (
    <DashboardSection id="section-model" title="Reward model">
      <div className="grid-2">
        <div>
          {certificate.isLoading && <Loading label="Loading the certificate…" />}
          <ErrorAlert error={certificate.error} title="The certificate could not be loaded" />
          {versions.isSuccess && !certificate.isLoading && !certificate.isError && (
            <CertificateChart campaignId={campaignId} certificate={certificate.data ?? null} />
          )}
        </div>
        <div>
          {versions.isPending && <Loading label="Loading model versions…" />}
          <ErrorAlert error={versions.error} title="Model versions could not be loaded" />
          {versions.isSuccess && <ModelVersionsChart versions={versions.data.items} />}
        </div>
        <div>
          <ErrorAlert error={policies.error} title="Policy versions could not be loaded" />
          {policies.isSuccess && <PolicyChurnChart versions={policies.data} />}
        </div>
        <div>
          {versions.isSuccess && (
            <YardstickChart versions={versions.data.items} yardstickShare={campaign.yardstickShare} />
          )}
        </div>
        <div>
          {detail.isLoading && <Loading label="Loading calibration…" />}
          <ErrorAlert error={detail.error} title="The newest model could not be loaded" />
          {versions.isSuccess && !detail.isLoading && <CalibrationChart model={detail.data} />}
        </div>
      </div>
    </DashboardSection>
  );
}

export function QualitySection({ campaignId, live }: { campaignId: string; live: boolean }) {
  const stats = useCampaignStats(campaignId, live);
  if (!stats.data) return null;
  const { labelers, agreement } = stats.data;
  return (
    <DashboardSection id="section-quality" title="Labeler quality">
      <div className="grid-2">
        <AgreementPanel agreement={agreement} labelers={labelers} />
        <LabelerBiasChart labelers={labelers} />
        <LabelerSpeedChart labelers={labelers} />
      </div>
      <LabelerTable labelers={labelers} />
    </DashboardSection>
  );
}

export function JobsSection({ campaign, live }: { campaign: CampaignView; live: boolean }) {
  // A draft has no labelers at work yet: its statistics are not worth a request.
  const stats = useCampaignStats(campaign.id, live, campaign.status !== 'draft');
  return (
    <DashboardSection id="section-jobs" title="Queue and jobs">
      <JobsPanel
        campaignId={campaign.id}
        live={live}
        openComparisons={campaign.counts?.comparisons.open}
        liveLeases={stats.data?.liveLeases}
      />
    </DashboardSection>
  );
}
