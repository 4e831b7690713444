/**
 * One campaign for its researcher: status and controls, prompts import (drafts), progress, reward
 * model quality, labeler quality, jobs, labelers and exports. Re-read every few seconds while live.
 */
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { ErrorAlert, Loading } from '../components/feedback';
import { AspectsSection } from './campaign/AspectsSection';
import { AuditPanel } from './campaign/AuditPanel';
import { CampaignControls } from './campaign/CampaignControls';
import { CampaignHeader } from './campaign/CampaignHeader';
import {
  DashboardSection,
  JobsSection,
  ModelSection,
  ProgressSection,
  PromptsSection,
  QualitySection,
} from './campaign/DashboardSections';
import { ExportPanel } from './campaign/ExportPanel';
import { LabelersPanel } from './campaign/LabelersPanel';
import { useCampaign } from './campaign/queries';
import { SettingsPanel } from './campaign/SettingsPanel';
import './campaign/console.css';

export function CampaignDashboardPage() {
  const { campaignId = '' } = useParams();
  const query = useCampaign(campaignId);

  if (query.isPending) return <Loading label="Loading the campaign…" />;
  if (query.isError) {
    const missing = query.error instanceof ApiError && query.error.code === 'NOT_FOUND';
    return (
      <div className="console-page">
        <h1>{missing ? 'Campaign not found' : 'The campaign could not be loaded'}</h1>
        {missing ? <p>It does not exist, or it is not yours.</p> : <ErrorAlert error={query.error} />}
        <p>
          <Link to="/console">Back to campaigns</Link>
        </p>
      </div>
    );
  }

  const campaign = query.data;
  const live = campaign.status === 'active';
  const isDraft = campaign.status === 'draft';
  return (
    <div className="console-page campaign-dashboard">
      <CampaignHeader campaign={campaign} />
      <CampaignControls campaign={campaign} />
      <SettingsPanel campaign={campaign} />
      <PromptsSection campaign={campaign} />
      {!isDraft && <ProgressSection campaign={campaign} live={live} />}
      {!isDraft && <ModelSection campaign={campaign} live={live} />}
      {!isDraft && <QualitySection campaignId={campaign.id} live={live} />}
      {!isDraft && (campaign.aspects?.length ?? 0) > 0 && <AspectsSection campaignId={campaign.id} live={live} />}
      <JobsSection campaign={campaign} live={live} />
      <DashboardSection id="section-labelers" title="Labelers">
        <LabelersPanel campaignId={campaign.id} readOnly={campaign.status === 'archived'} />
      </DashboardSection>
      {!isDraft && (
        <DashboardSection id="section-exports" title="Exports">
          <ExportPanel campaignId={campaign.id} campaignName={campaign.name} />
        </DashboardSection>
      )}
      <DashboardSection id="section-activity" title="Activity">
        <AuditPanel campaignId={campaign.id} />
      </DashboardSection>
    </div>
  );
}
