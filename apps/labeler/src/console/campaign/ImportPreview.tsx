/**
 * Choosing a JSONL file of prompts and importing it. The file is checked at once by a dry run (the
 * server validates every line and stores nothing), bad lines are listed with their content read
 * from the file here, and "Import" is offered only for a file the dry run accepted. The import is
 * atomic: a file the server refuses (422) leaves the campaign as it was.
 */
import type { ImportLineError, ImportReport, ImportResult } from '@borda/api-contract';
import { type DragEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { useApi } from '../../auth/session';
import { ErrorAlert } from '../../components/feedback';
import { formatBytes, formatCount } from '../../components/format';
import { ImportErrorTable } from './ImportErrorTable';
import { useLineExcerpts } from './useLineExcerpts';

export const IMPORT_CONTENT_TYPE = 'application/x-ndjson';

export interface ImportPreviewProps {
  readonly campaignId: string;
  /** Called once the server has stored the prompts. */
  readonly onImported?: (result: ImportResult) => void;
}

type Check = { state: 'checking' } | { state: 'checked'; report: ImportReport } | { state: 'failed'; error: unknown };

type Upload =
  | { state: 'importing' }
  | { state: 'imported'; result: ImportResult }
  | { state: 'rejected'; message: string; errors: readonly ImportLineError[]; errorCount: number }
  | { state: 'failed'; error: unknown };

/** The line errors in a 422 IMPORT_INVALID body (its details are an ImportReport, possibly partial). */
function lineErrorsOf(error: ApiError): { errors: readonly ImportLineError[]; errorCount: number } {
  const details = (error.details ?? {}) as Partial<ImportReport>;
  const errors = Array.isArray(details.errors) ? details.errors : [];
  return { errors, errorCount: typeof details.errorCount === 'number' ? details.errorCount : errors.length };
}

const isAbort = (error: unknown) => error instanceof Error && error.name === 'AbortError';

export function ImportPreview({ campaignId, onImported }: ImportPreviewProps) {
  const api = useApi();
  const inputId = useId();
  const hintId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [check, setCheck] = useState<Check>();
  const [upload, setUpload] = useState<Upload>();
  const [dragging, setDragging] = useState(false);
  const checkRequest = useRef<AbortController | null>(null);
  const path = `/campaigns/${campaignId}/imports`;

  // A check still uploading when the panel goes away is of no use to anyone.
  useEffect(() => {
    const requests = checkRequest;
    return () => requests.current?.abort();
  }, []);

  async function chooseFile(chosen: File) {
    checkRequest.current?.abort();
    const controller = new AbortController();
    checkRequest.current = controller;
    setFile(chosen);
    setUpload(undefined);
    setCheck({ state: 'checking' });
    try {
      const report = await api.post<ImportReport>(path, undefined, {
        rawBody: chosen,
        contentType: IMPORT_CONTENT_TYPE,
        query: { dryRun: true },
        signal: controller.signal,
      });
      if (checkRequest.current === controller) setCheck({ state: 'checked', report });
    } catch (error) {
      if (isAbort(error) || checkRequest.current !== controller) return;
      if (error instanceof ApiError && error.code === 'IMPORT_INVALID') {
        const { errors, errorCount } = lineErrorsOf(error);
        const report: ImportReport = {
          valid: false,
          promptCount: 0,
          responseCount: 0,
          errors,
          errorCount,
          linesRead: 0,
        };
        setCheck({ state: 'checked', report });
      } else {
        setCheck({ state: 'failed', error });
      }
    } finally {
      if (checkRequest.current === controller) checkRequest.current = null;
    }
  }

  function cancelCheck() {
    checkRequest.current?.abort();
    checkRequest.current = null;
    setCheck(undefined);
    setFile(null);
  }

  async function runImport() {
    if (!file) return;
    setUpload({ state: 'importing' });
    try {
      const result = await api.post<ImportResult>(path, undefined, { rawBody: file, contentType: IMPORT_CONTENT_TYPE });
      setUpload({ state: 'imported', result });
      onImported?.(result);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'IMPORT_INVALID') {
        setUpload({ state: 'rejected', message: error.message, ...lineErrorsOf(error) });
      } else {
        setUpload({ state: 'failed', error });
      }
    }
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    // The file input is disabled while an import uploads; a drop must not swap the file under it either.
    if (upload?.state === 'importing') return;
    const dropped = event.dataTransfer.files[0];
    if (dropped) void chooseFile(dropped);
  }

  const report = check?.state === 'checked' ? check.report : undefined;
  const shownErrors =
    upload?.state === 'rejected' ? upload.errors : report && !report.valid ? report.errors : undefined;
  const excerpts = useLineExcerpts(file, shownErrors);
  const canImport =
    report !== undefined && report.valid && report.promptCount > 0 && (!upload || upload.state === 'failed');
  const promptWord = report?.promptCount === 1 ? 'prompt' : 'prompts';
  const importLabel = report?.valid ? `Import ${formatCount(report.promptCount)} ${promptWord}` : 'Import prompts';

  return (
    <div className="import-preview">
      <div
        className={`drop-zone${dragging ? ' is-dragging' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label htmlFor={inputId}>Prompts file (JSONL)</label>
        <input
          id={inputId}
          type="file"
          accept=".jsonl,.ndjson,.json,.txt,application/x-ndjson,application/jsonl,text/plain"
          aria-describedby={hintId}
          disabled={upload?.state === 'importing'}
          // Cleared as the picker opens, so choosing the same (edited) file again is a change and is checked again.
          onClick={(event) => {
            event.currentTarget.value = '';
          }}
          onChange={(event) => {
            const chosen = event.target.files?.[0];
            if (chosen) void chooseFile(chosen);
          }}
        />
        <p id={hintId} className="field-hint">
          One JSON object per line: <code>{'{"id": …, "prompt": … or "messages": […], "responses": [≥ 2]}'}</code>.
          Choose a file or drop it here: it is checked at once and nothing is stored until you import it.
        </p>
      </div>

      {file && (
        <p className="import-file">
          File: <strong>{file.name}</strong> <span className="muted">({formatBytes(file.size)})</span>
        </p>
      )}

      {check?.state === 'checking' && file && (
        <div role="status" className="import-progress">
          <span>
            Uploading and checking {file.name} ({formatBytes(file.size)})…
          </span>
          <progress aria-label={`Checking ${file.name}`} />
          <button type="button" className="button button-quiet" onClick={cancelCheck}>
            Cancel check
          </button>
        </div>
      )}
      {check?.state === 'failed' && (
        <>
          <ErrorAlert error={check.error} title="The file could not be checked" />
          {file && (
            <button type="button" className="button" onClick={() => void chooseFile(file)}>
              Check the file again
            </button>
          )}
        </>
      )}
      {report && <CheckSummary report={report} />}

      {upload?.state !== 'rejected' && report && !report.valid && (
        <ImportErrorTable errors={report.errors} errorCount={report.errorCount} excerpts={excerpts} />
      )}

      <div className="button-row">
        <button type="button" className="button button-primary" disabled={!canImport} onClick={() => void runImport()}>
          {upload?.state === 'importing' ? `${importLabel.replace('Import', 'Importing')}…` : importLabel}
        </button>
      </div>

      <UploadOutcome upload={upload} file={file} excerpts={excerpts} />
    </div>
  );
}

function CheckSummary({ report }: { report: ImportReport }) {
  const counts = `${formatCount(report.linesRead)} lines read, ${formatCount(report.promptCount)} prompts, ${formatCount(report.responseCount)} responses`;
  if (!report.valid) {
    return (
      <p role="alert" className="alert alert-error">
        {formatCount(report.errorCount)} {report.errorCount === 1 ? 'problem' : 'problems'} found ({counts}). Fix the
        lines below and choose the file again; nothing has been imported.
      </p>
    );
  }
  if (report.promptCount === 0) {
    return (
      <p role="alert" className="alert alert-warning">
        The file holds no prompts ({counts}).
      </p>
    );
  }
  return (
    <p role="status" className="alert alert-success">
      The file is valid: {counts}. Nothing is stored until you import it.
    </p>
  );
}

function UploadOutcome({
  upload,
  file,
  excerpts,
}: {
  upload: Upload | undefined;
  file: File | null;
  excerpts: ReadonlyMap<number, string>;
}) {
  if (!upload) return null;
  switch (upload.state) {
    case 'importing':
      return (
        <div role="status" className="import-progress">
          <span>
            Importing {file?.name} ({formatBytes(file?.size ?? 0)})…
          </span>
          <progress aria-label="Importing the file" />
        </div>
      );
    case 'imported':
      return (
        <p role="status" className="alert alert-success">
          Imported {formatCount(upload.result.promptCount)} prompts with {formatCount(upload.result.responseCount)}{' '}
          responses. The campaign now has {formatCount(upload.result.totalPrompts)} prompts.
        </p>
      );
    case 'rejected':
      return (
        <>
          <p role="alert" className="alert alert-error">
            The server refused the file and nothing was imported: {upload.message}
          </p>
          {upload.errors.length > 0 && (
            <ImportErrorTable errors={upload.errors} errorCount={upload.errorCount} excerpts={excerpts} />
          )}
        </>
      );
    case 'failed':
      return <ErrorAlert error={upload.error} title="The import failed" />;
  }
}
