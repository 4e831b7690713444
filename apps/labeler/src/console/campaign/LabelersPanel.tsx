/** Who labels this campaign, and changing that (PUT /campaigns/:id/labelers replaces the whole set). */
import type { CampaignLabelerView } from '@borda/api-contract';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../auth/session';
import { ErrorAlert, Loading } from '../../components/feedback';
import { formatDate } from '../../components/format';
import { LabelerChecklist } from './LabelerChecklist';
import { useAssignedLabelers, useRefreshCampaign } from './queries';

export function LabelersPanel({ campaignId, readOnly }: { campaignId: string; readOnly: boolean }) {
  const api = useApi();
  const assigned = useAssignedLabelers(campaignId);
  const refresh = useRefreshCampaign(campaignId);
  const [editing, setEditing] = useState<string[] | null>(null);
  const save = useMutation({
    mutationFn: (labelerIds: string[]) =>
      api.put<CampaignLabelerView[]>(`/campaigns/${campaignId}/labelers`, { labelerIds }),
    onSuccess: () => setEditing(null),
    onSettled: () => refresh(),
  });
  const labelers = assigned.data ?? [];

  return (
    <div className="labelers-panel">
      {assigned.isPending && <Loading label="Loading labelers…" />}
      <ErrorAlert error={assigned.error} title="Assigned labelers could not be loaded" />
      {assigned.isSuccess && labelers.length === 0 && (
        <p className="muted">No labeler is assigned: nobody can label this campaign yet.</p>
      )}
      {labelers.length > 0 && !editing && (
        <ul className="assigned-list">
          {labelers.map((l) => (
            <li key={l.id}>
              {l.name}{' '}
              <span className="muted">
                ({l.email}, since {formatDate(l.assignedAt)})
              </span>
            </li>
          ))}
        </ul>
      )}
      {editing ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate(editing);
          }}
        >
          <LabelerChecklist legend="Assigned labelers" selected={editing} onChange={setEditing} />
          <div className="button-row">
            <button type="submit" className="button button-primary" disabled={save.isPending}>
              {save.isPending ? 'Saving assignment…' : 'Save assignment'}
            </button>
            <button type="button" className="button" onClick={() => setEditing(null)} disabled={save.isPending}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        !readOnly && (
          <button
            type="button"
            className="button"
            disabled={!assigned.isSuccess}
            onClick={() => {
              save.reset();
              setEditing(labelers.map((l) => l.id));
            }}
          >
            Edit assigned labelers
          </button>
        )
      )}
      {save.isSuccess && !editing && (
        <p role="status" className="alert alert-success">
          Assignment saved: {save.data.length} {save.data.length === 1 ? 'labeler' : 'labelers'}.
        </p>
      )}
      <ErrorAlert error={save.error} title="The assignment could not be saved" />
    </div>
  );
}
