/** Changed guidelines: `next` waits for the labeler to read and acknowledge the current version. */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { CAMPAIGN_ID, lease, renderLabelPage } from './labeling-fixtures';

const GATE = { assignment: null, reason: 'guidelines_not_acknowledged', guidelinesVersion: 3 };

describe('guidelines acknowledgement', () => {
  it('shows the changed guidelines instead of a comparison, and fetches work once acknowledged', async () => {
    const user = userEvent.setup();
    let acknowledged = false;
    const first = lease(1);
    const { requestsTo } = renderLabelPage({
      next: Array.from(
        { length: 6 },
        () => () =>
          acknowledged
            ? {
                status: 200,
                body: { assignment: first },
              }
            : { status: 200, body: GATE },
      ),
      routes: {
        [`GET /campaigns/${CAMPAIGN_ID}/guidelines`]: () => ({
          status: 200,
          body: {
            guidelines: '## New rule\nPrefer **short** answers.',
            version: 3,
            acknowledgedVersion: 2,
            mustAcknowledge: !acknowledged,
          },
        }),
        [`POST /campaigns/${CAMPAIGN_ID}/guidelines/ack`]: (request) => {
          acknowledged = (request.body as { version: number }).version === 3;
          return { status: 200, body: { version: 3 } };
        },
      },
    });
    const heading = await screen.findByRole('heading', { name: 'The guidelines have changed' });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(await screen.findByText('Version 3')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'New rule' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Comparison' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'I have read these' }));
    expect(requestsTo('POST', '/guidelines/ack').map((r) => r.body)).toEqual([{ version: 3 }]);
    expect(await screen.findByRole('heading', { name: 'Comparison' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'The guidelines have changed' })).not.toBeInTheDocument();
  });

  it('shows the newest version when the guidelines changed again while being read', async () => {
    const user = userEvent.setup();
    let version = 3;
    renderLabelPage({
      next: Array.from({ length: 6 }, () => () => ({ status: 200, body: { ...GATE, guidelinesVersion: version } })),
      routes: {
        [`GET /campaigns/${CAMPAIGN_ID}/guidelines`]: () => ({
          status: 200,
          body: { guidelines: `Rules v${version}`, version, acknowledgedVersion: 2, mustAcknowledge: true },
        }),
        [`POST /campaigns/${CAMPAIGN_ID}/guidelines/ack`]: () => {
          version = 4;
          return {
            status: 409,
            body: { code: 'CONFLICT', message: 'the guidelines changed', details: { version: 4 } },
          };
        },
      },
    });
    await screen.findByText('Rules v3');
    await user.click(screen.getByRole('button', { name: 'I have read these' }));
    expect(await screen.findByText(/They changed again while you were reading/)).toBeInTheDocument();
    expect(await screen.findByText('Rules v4')).toBeInTheDocument();
    expect(screen.getByText('Version 4')).toBeInTheDocument();
  });
});
