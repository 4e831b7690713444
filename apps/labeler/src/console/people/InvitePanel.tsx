/**
 * Bulk invitations from a CSV (`email,role[,name]` per line, header optional): the file is checked
 * by a dry run first, with every problem listed by line; then the accounts are created at once,
 * each with a generated password shown this once and downloadable as a CSV to hand over.
 */
import type { FieldIssue, InviteDryRun, InviteResult } from '@borda/api-contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, useId, useState } from 'react';
import { ApiError } from '../../api/client';
import { useApi } from '../../auth/session';
import { saveBlob } from '../../components/download';
import { ErrorAlert } from '../../components/feedback';
import { ScrollRegion } from '../campaign/ScrollRegion';
import { peopleKeys } from './queries';

const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export function passwordsCsv(created: InviteResult['created']): string {
  const lines = created.map((c) => [c.email, c.role, c.name, c.password].map(csvField).join(','));
  return ['email,role,name,password', ...lines].join('\r\n') + '\r\n';
}

function issuesOf(error: unknown): FieldIssue[] | null {
  if (!(error instanceof ApiError) || error.code !== 'IMPORT_INVALID') return null;
  const issues = (error.details as { issues?: FieldIssue[] } | undefined)?.issues;
  return Array.isArray(issues) ? issues : null;
}

export function InvitePanel() {
  const api = useApi();
  const queryClient = useQueryClient();
  const id = useId();
  const [csv, setCsv] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const check = useMutation({
    mutationFn: (text: string) =>
      api.post<InviteDryRun>('/users/invitations', { csv: text }, { query: { dryRun: 'true' } }),
  });
  const create = useMutation({
    mutationFn: (text: string) => api.post<InviteResult>('/users/invitations', { csv: text }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: peopleKeys.all }),
  });

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    create.reset();
    if (!file) return;
    const text = await file.text();
    setCsv(text);
    setFileName(file.name);
    check.mutate(text);
  }

  const issues = issuesOf(check.error) ?? issuesOf(create.error);
  const rows = check.data?.rows ?? [];
  const created = create.data?.created;

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Invite from a CSV</h2>
      <p className="field-hint" id={`${id}-hint`}>
        One person per line: <code>email,role,name</code> (name optional; role is labeler, researcher or admin). The
        file is checked first; nothing is created until you confirm.
      </p>
      <label htmlFor={`${id}-file`}>CSV file</label>
      <input id={`${id}-file`} type="file" accept=".csv,text/csv" aria-describedby={`${id}-hint`} onChange={onFile} />
      {check.isPending && <p role="status">Checking {fileName}…</p>}
      {issues && (
        <div role="alert" className="alert alert-error">
          <p>
            {fileName}: {issues.length} {issues.length === 1 ? 'problem' : 'problems'}; nobody was invited.
          </p>
          <ScrollRegion label="Problems by line, scrollable">
            <table>
              <caption className="visually-hidden">Problems by line</caption>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Field</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {issues.map((issue, index) => (
                  <tr key={index}>
                    <td>{issue.line}</td>
                    <td>{issue.path}</td>
                    <td>{issue.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </div>
      )}
      {!issues && <ErrorAlert error={check.error ?? create.error} title="The invitations failed" />}
      {check.data && !created && !issues && (
        <div role="status">
          <p>
            {rows.length} {rows.length === 1 ? 'person' : 'people'} to invite:{' '}
            {rows.map((r) => `${r.name} (${r.role})`).join(', ')}.
          </p>
          <button
            type="button"
            className="button button-primary"
            disabled={create.isPending || csv === null}
            onClick={() => csv !== null && create.mutate(csv)}
          >
            {create.isPending ? 'Creating…' : `Create ${rows.length} ${rows.length === 1 ? 'account' : 'accounts'}`}
          </button>
        </div>
      )}
      {created && (
        <div role="alert" className="alert alert-success">
          <p>
            Created {created.length} {created.length === 1 ? 'account' : 'accounts'}. Download the passwords now: they
            are not shown again.
          </p>
          <ScrollRegion label="New accounts, scrollable">
            <table>
              <caption className="visually-hidden">New accounts and their passwords</caption>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Password</th>
                </tr>
              </thead>
              <tbody>
                {created.map((c) => (
                  <tr key={c.id}>
                    <td>{c.email}</td>
                    <td>{c.role}</td>
                    <td>
                      <code className="handover-password">{c.password}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          <div className="button-row">
            <button
              type="button"
              className="button"
              onClick={() =>
                saveBlob(new Blob([passwordsCsv(created)], { type: 'text/csv' }), 'borda-invited-passwords.csv')
              }
            >
              Download passwords (CSV)
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
