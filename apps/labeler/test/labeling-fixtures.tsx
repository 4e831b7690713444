/**
 * A scripted labeling API for the comparison-screen tests: leases handed out in order by POST /next,
 * and per-route answers the test can change, with every request recorded.
 */
import type { LabelerProgress, LeasedComparison, NextResponse, SubmitResponse } from '@borda/api-contract';
import { LabelPage } from '../src/labeling/LabelPage';
import { LABELER, type RecordedRequest, type Responder, renderWithApp, scriptedFetch } from './render';

export const CAMPAIGN_ID = '11111111-1111-4111-8111-111111111111';

const uuid = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;

export function lease(n: number, overrides: Partial<LeasedComparison> = {}): LeasedComparison {
  return {
    id: uuid('aaaaaaaa', n),
    comparisonId: uuid('cccccccc', n),
    expiresAt: new Date(Date.now() + 300_000).toISOString(),
    leaseSeconds: 300,
    prompt: {
      id: uuid('pppppppp', n),
      text: null,
      messages: [
        { role: 'system', content: 'You are a terse assistant.' },
        { role: 'user', content: `How do I boil egg number ${n}?` },
        { role: 'assistant', content: 'Soft or hard?' },
        { role: 'user', content: 'Hard, **please**.' },
      ],
    },
    left: { id: uuid('11111111', n), text: `Left answer ${n}: boil for *ten* minutes.` },
    right: { id: uuid('22222222', n), text: `Right answer ${n}: use a kettle.` },
    ...overrides,
  };
}

export function saved(request: RecordedRequest, extra: Partial<SubmitResponse> = {}) {
  const body = request.body as { choice?: string; idempotencyKey: string };
  return {
    status: 201,
    body: {
      label: { id: 'label-1', assignmentId: request.path.split('/')[2], choice: body.choice ?? 'skip' },
      duplicate: false,
      campaignCompleted: false,
      ...extra,
    },
  };
}

export function progress(doneToday: number, earlier = 10): LabelerProgress {
  return {
    campaignId: CAMPAIGN_ID,
    doneToday,
    doneTotal: doneToday + earlier,
    skippedTotal: 1,
    remaining: 40,
    leased: 2,
    waitReason: null,
    budget: { used: 60 + doneToday, total: 100 },
  };
}

export interface LabelingScript {
  /** Answers of POST /next in order; a function is called with the call's index; past the end: no_comparisons. */
  next?: (NextResponse | ((call: number) => ReturnType<Responder>))[];
  submit?: Responder;
  skip?: Responder;
  heartbeat?: Responder;
  guidelines?: string;
  /** The labeler has labeled nothing in this campaign before. */
  firstVisit?: boolean;
  /** Fields of GET /progress to answer instead of the defaults. */
  progress?: Partial<LabelerProgress>;
  /** The campaign's aspects (GET /campaigns/:id answers them when given). */
  aspects?: object[];
  /** More routes (matched first), e.g. the guidelines ones. */
  routes?: Record<string, Responder>;
}

export function renderLabelPage(script: LabelingScript = {}) {
  let nextCalls = 0;
  let done = 0;
  const api = scriptedFetch({
    ...script.routes,
    [`GET /campaigns/${CAMPAIGN_ID}/progress`]: () => ({
      status: 200,
      body: { ...progress(done, script.firstVisit ? 0 : 10), ...script.progress },
    }),
    [`GET /campaigns/${CAMPAIGN_ID}`]: () => ({
      status: 200,
      body: {
        id: CAMPAIGN_ID,
        name: 'Egg answers',
        guidelines: script.guidelines ?? '## Judge\nPrefer **correct** answers.',
        status: 'active',
        ...(script.aspects ? { aspects: script.aspects } : {}),
        progress: { labelCount: 60, budget: 100, remaining: 40, done: 10 },
      },
    }),
    [`POST /campaigns/${CAMPAIGN_ID}/next`]: () => {
      const answer = script.next?.[nextCalls];
      const call = nextCalls++;
      if (typeof answer === 'function') return answer(call);
      return { status: 200, body: answer ?? { assignment: null, reason: 'no_comparisons' } };
    },
    'POST /assignments/*': async (request) => {
      const action = request.path.split('/')[3];
      const responder = action === 'submit' ? script.submit : action === 'skip' ? script.skip : script.heartbeat;
      if (action === 'heartbeat' && !responder) {
        return { status: 200, body: { expiresAt: new Date(Date.now() + 300_000).toISOString() } };
      }
      const answer = await (responder ?? saved)(request);
      if (answer.status < 300 && action !== 'heartbeat') done++;
      return answer;
    },
  });
  const view = renderWithApp(<LabelPage />, {
    fetch: api.fetch,
    user: LABELER,
    path: `/label/${CAMPAIGN_ID}`,
    route: '/label/:campaignId',
  });
  const requestsTo = (method: string, suffix: string) =>
    api.requests.filter((r) => r.method === method && r.path.endsWith(suffix));
  return { ...view, requests: api.requests, requestsTo };
}

/** A promise that never settles: a request the server never answers. */
export const never = () => new Promise<never>(() => {});

export const nextWith = (...leases: LeasedComparison[]): NextResponse[] => leases.map((assignment) => ({ assignment }));
