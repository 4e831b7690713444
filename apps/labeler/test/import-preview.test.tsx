import type { ImportReport, ImportResult } from '@borda/api-contract';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ImportPreview } from '../src/console/campaign/ImportPreview';
import { readLineExcerpts } from '../src/console/campaign/line-excerpts';
import { type RecordedRequest, renderWithApp, scriptedFetch } from './render';

const CAMPAIGN = '11111111-1111-4111-8111-111111111111';
const GOOD_LINE = JSON.stringify({ id: 'p1', prompt: 'Say hi', responses: ['hi', 'hello'] });
const BAD_LINE = JSON.stringify({ id: 'p2', prompt: 'Say bye', responses: ['bye'] });
const FIXED_LINE = JSON.stringify({ id: 'p2', prompt: 'Say bye', responses: ['bye', 'goodbye'] });

const badFile = () => new File([`${GOOD_LINE}\n${BAD_LINE}\n`], 'prompts.jsonl', { type: 'application/x-ndjson' });
const fixedFile = () => new File([`${GOOD_LINE}\n${FIXED_LINE}\n`], 'prompts-fixed.jsonl', { type: '' });

const BAD_REPORT: ImportReport = {
  valid: false,
  promptCount: 1,
  responseCount: 3,
  errors: [{ line: 2, path: 'responses', message: 'a prompt needs at least 2 responses to compare' }],
  errorCount: 1,
  linesRead: 2,
};
const GOOD_REPORT: ImportReport = {
  valid: true,
  promptCount: 2,
  responseCount: 4,
  errors: [],
  errorCount: 0,
  linesRead: 2,
};
const RESULT: ImportResult = { importId: 'imp-1', promptCount: 2, responseCount: 4, totalPrompts: 2 };

const isDryRun = (request: RecordedRequest) => request.path.includes('dryRun=true');

/** The dry run answers by file name; the real import answers `importAnswer`. */
function importRoutes(importAnswer: { status: number; body: unknown }) {
  return scriptedFetch({
    [`POST /campaigns/${CAMPAIGN}/imports`]: (request) => {
      if (!isDryRun(request)) return importAnswer;
      const file = request.body as File;
      return { status: 200, body: file.name === 'prompts.jsonl' ? BAD_REPORT : GOOD_REPORT };
    },
  });
}

const fileInput = () => screen.getByLabelText('Prompts file (JSONL)');
const importButton = () => screen.getByRole('button', { name: /^Import/ });

describe('ImportPreview', () => {
  it('checks a chosen file by a dry run, lists bad lines with their content, then imports the fixed file', async () => {
    const user = userEvent.setup();
    const api = importRoutes({ status: 201, body: RESULT });
    const onImported = vi.fn();
    renderWithApp(<ImportPreview campaignId={CAMPAIGN} onImported={onImported} />, { fetch: api.fetch });

    const bad = badFile();
    await user.upload(fileInput(), bad);

    const table = await screen.findByRole('table', { name: 'Problems by line' });
    const [dryRun] = api.requests;
    expect(dryRun.method).toBe('POST');
    expect(dryRun.path).toBe(`/campaigns/${CAMPAIGN}/imports?dryRun=true`);
    expect(dryRun.headers['content-type']).toBe('application/x-ndjson');
    expect(dryRun.body).toBe(bad);

    const row = within(table).getAllByRole('row')[1];
    expect(row).toHaveTextContent('2');
    expect(row).toHaveTextContent('responses');
    expect(row).toHaveTextContent('a prompt needs at least 2 responses to compare');
    // The excerpt is read from the file in the browser: the server sends only the line number.
    await waitFor(() => expect(within(row).getByText(BAD_LINE)).toBeInTheDocument());
    expect(screen.getByRole('alert')).toHaveTextContent('1 problem found');
    expect(importButton()).toBeDisabled();
    expect(screen.getByText(/prompts\.jsonl/, { selector: 'strong' })).toBeInTheDocument();

    await user.upload(fileInput(), fixedFile());
    expect(await screen.findByText(/The file is valid: 2 lines read, 2 prompts, 4 responses/)).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Problems by line' })).not.toBeInTheDocument();
    expect(importButton()).toHaveAccessibleName('Import 2 prompts');
    expect(importButton()).toBeEnabled();

    await user.click(importButton());
    expect(await screen.findByText(/Imported 2 prompts with 4 responses/)).toHaveTextContent(
      'The campaign now has 2 prompts.',
    );
    const real = api.requests[api.requests.length - 1];
    expect(real.path).toBe(`/campaigns/${CAMPAIGN}/imports`);
    expect(real.headers['content-type']).toBe('application/x-ndjson');
    expect((real.body as File).name).toBe('prompts-fixed.jsonl');
    expect(onImported).toHaveBeenCalledWith(RESULT);
    expect(importButton()).toBeDisabled();
  });

  it('shows the lines of a 422 on the real import and says nothing was imported', async () => {
    const user = userEvent.setup();
    const api = importRoutes({
      status: 422,
      body: {
        code: 'IMPORT_INVALID',
        message: '1 problem(s) on line(s) 1; nothing was imported',
        details: { errors: [{ line: 1, path: 'id', message: "duplicate id 'p1'" }], errorCount: 1, linesRead: 2 },
      },
    });
    const onImported = vi.fn();
    renderWithApp(<ImportPreview campaignId={CAMPAIGN} onImported={onImported} />, { fetch: api.fetch });

    await user.upload(fileInput(), fixedFile());
    await user.click(await screen.findByRole('button', { name: 'Import 2 prompts' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('nothing was imported');
    const table = screen.getByRole('table', { name: 'Problems by line' });
    expect(table).toHaveTextContent("duplicate id 'p1'");
    await waitFor(() => expect(within(table).getByText(GOOD_LINE)).toBeInTheDocument());
    expect(onImported).not.toHaveBeenCalled();
  });

  it('reports other failures of the import clearly', async () => {
    const user = userEvent.setup();
    const api = importRoutes({
      status: 413,
      body: { code: 'PAYLOAD_TOO_LARGE', message: 'the import exceeds the limit of 100 bytes' },
    });
    renderWithApp(<ImportPreview campaignId={CAMPAIGN} />, { fetch: api.fetch });
    await user.upload(fileInput(), fixedFile());
    await user.click(await screen.findByRole('button', { name: 'Import 2 prompts' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The import failed: the import exceeds the limit of 100 bytes',
    );
    // A failure that may be passing (network, size) leaves the button usable for another try.
    expect(importButton()).toBeEnabled();
  });

  it('reports a file the server cannot check (wrong type, no connection)', async () => {
    const user = userEvent.setup();
    const api = scriptedFetch({
      [`POST /campaigns/${CAMPAIGN}/imports`]: () => ({
        status: 409,
        body: { code: 'CONFLICT', message: 'cannot import into a completed campaign' },
      }),
    });
    renderWithApp(<ImportPreview campaignId={CAMPAIGN} />, { fetch: api.fetch });
    await user.upload(fileInput(), fixedFile());
    expect(await screen.findByRole('alert')).toHaveTextContent('cannot import into a completed campaign');
    expect(importButton()).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Check the file again' })).toBeEnabled();
  });
});

describe('readLineExcerpts', () => {
  it('reads numbered lines across chunk boundaries, cuts long ones and handles CRLF and a last line without newline', async () => {
    const long = 'x'.repeat(3_000_000);
    const text = `first\r\n${long}\n\nfourth é\nfifth`;
    const excerpts = await readLineExcerpts(new Blob([text]), [1, 2, 3, 4, 5, 9], 10);
    expect(excerpts.get(1)).toBe('first');
    expect(excerpts.get(2)).toBe('xxxxxxxxxx…');
    expect(excerpts.get(3)).toBe('');
    expect(excerpts.get(4)).toBe('fourth é');
    expect(excerpts.get(5)).toBe('fifth');
    expect(excerpts.has(9)).toBe(false);
  });
});
