/**
 * The OpenAPI document declares response bodies: every route has a 2xx JSON schema with properties
 * unless it is declared as answering no JSON (streamed exports, the card, metrics, 204s), and real
 * responses of a sample of routes validate against the contract's zod schemas.
 */
import { randomUUID } from 'node:crypto';
import {
  auditListSchema,
  browseFacetsSchema,
  browsePageSchema,
  campaignLabelerListSchema,
  campaignStatsSchema,
  catalogResponseSchema,
  contentFlagListSchema,
  crowdLabelerListSchema,
  goldSummarySchema,
  guidelinesViewSchema,
  healthDetailsSchema,
  healthResponseSchema,
  labelerProgressSchema,
  meResponseSchema,
  promptPageSchema,
  reviewListSchema,
  sessionListSchema,
  simulationPageSchema,
  sourceModelLeaderboardSchema,
  tokenCreatedSchema,
  tokenListSchema,
  userViewSchema,
  campaignListSchema,
  campaignViewSchema,
  certificateResponseSchema,
  heartbeatResponseSchema,
  importReportSchema,
  importResultSchema,
  jobRunListSchema,
  loginResponseSchema,
  modelVersionDetailSchema,
  modelVersionPageSchema,
  nextResponseSchema,
  policyPageSchema,
  policyVersionListSchema,
  submitResponseSchema,
  webhookCreatedSchema,
  webhookListSchema,
} from '@borda/api-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NON_JSON_RESPONSES, RESPONSE_SCHEMAS } from '../src/openapi-responses';
import { createCampaign, jsonl } from './support/campaign-fixtures';
import { type TestApp, type TestUser, startTestApp, waitFor } from './support/harness';

/** Main routes that must stay in the document with a body (written out, so dropping one fails here). */
const MAIN_ROUTES = [
  'POST /auth/login',
  'POST /campaigns',
  'GET /campaigns',
  'GET /campaigns/{id}',
  'PATCH /campaigns/{id}',
  'POST /campaigns/{id}/start',
  'POST /campaigns/{id}/pause',
  'POST /campaigns/{id}/resume',
  'POST /campaigns/{id}/complete',
  'POST /campaigns/{id}/archive',
  'POST /campaigns/{id}/imports',
  'POST /campaigns/{id}/next',
  'POST /assignments/{id}/submit',
  'GET /campaigns/{id}/models',
  'GET /campaigns/{id}/models/{version}',
  'GET /campaigns/{id}/policy',
  'POST /assignments/{id}/skip',
  'POST /assignments/{id}/heartbeat',
  'GET /campaigns/{id}/jobs',
  'GET /campaigns/{id}/certificate',
  'GET /campaigns/{id}/policy/versions',
  'POST /campaigns/{id}/webhooks',
  'GET /campaigns/{id}/webhooks',
  'GET /campaigns/{id}/webhooks/{webhookId}/deliveries',
  'POST /campaigns/{id}/webhooks/{webhookId}/test',
];

type Json = Record<string, any>;

let app: TestApp;
let researcher: TestUser;
let doc: Json;

beforeAll(async () => {
  app = await startTestApp({ workers: true });
  researcher = await app.createUser('researcher');
  const res = await app.get('/docs/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body;
});

afterAll(async () => {
  await app?.close();
});

function resolve(schema: Json | undefined): Json | undefined {
  if (!schema?.$ref) return schema;
  return doc.components?.schemas?.[String(schema.$ref).replace('#/components/schemas/', '')];
}

/** An object schema with properties, an array of them, or a union whose every branch is one. */
function hasProperties(schema: Json | undefined): boolean {
  const s = resolve(schema);
  if (!s) return false;
  if (s.type === 'array') return hasProperties(s.items);
  const branches = s.anyOf ?? s.oneOf;
  if (branches) return branches.every(hasProperties);
  if (s.allOf) return s.allOf.some(hasProperties);
  return Object.keys(s.properties ?? {}).length > 0;
}

function declaredBody(route: string): boolean {
  const [method, path] = route.split(' ');
  const responses: Json = doc.paths[path]?.[method.toLowerCase()]?.responses ?? {};
  return Object.entries(responses).some(
    ([status, r]) => /^2\d\d$/.test(status) && hasProperties(r.content?.['application/json']?.schema),
  );
}

/** Parses with the schema and checks the body has no top-level field the schema does not name. */
function objectOf(schema: z.ZodType): z.ZodObject | null {
  if (schema instanceof z.ZodReadonly) return objectOf(schema.unwrap() as z.ZodType);
  return schema instanceof z.ZodObject ? schema : null;
}

function fits<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.parse(body);
  const object = objectOf(schema);
  if (object && body && typeof body === 'object') {
    const undeclared = Object.keys(body).filter((k) => !(k in object.shape));
    expect(undeclared, 'fields the schema does not declare').toEqual([]);
  }
  return parsed;
}

describe('the document', () => {
  it('declares a 2xx JSON body with properties on every route that answers JSON', () => {
    const routes = Object.entries(doc.paths as Json).flatMap(([path, ops]) =>
      Object.keys(ops as Json)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes.length).toBeGreaterThan(70);
    for (const route of MAIN_ROUTES) expect(routes, `${route} is in the document`).toContain(route);
    // A new route fails here until it is in RESPONSE_SCHEMAS (or NON_JSON_RESPONSES, if it answers no JSON).
    const undeclared = routes.filter((r) => !(r in NON_JSON_RESPONSES) && !declaredBody(r));
    expect(undeclared, 'routes without a JSON response schema').toEqual([]);
    // Every non-JSON entry is a real route, and none of them also claims a JSON body.
    for (const route of Object.keys(NON_JSON_RESPONSES)) {
      expect(routes, `${route} is in the document`).toContain(route);
      expect(declaredBody(route), `${route} declares no JSON body`).toBe(false);
    }
  });

  it('declares the content types of streamed and text routes, and no body for 204s', () => {
    const responses = (route: string): Json => {
      const [method, path] = route.split(' ');
      return doc.paths[path][method.toLowerCase()].responses;
    };
    const trl = responses('GET /campaigns/{id}/exports/trl');
    expect(Object.keys(trl).filter((s) => s.startsWith('2'))).toEqual(['200']);
    expect(Object.keys(trl['200'].content)).toEqual(['application/x-ndjson', 'application/vnd.apache.parquet']);
    expect(Object.keys(responses('GET /campaigns/{id}/exports/card')['200'].content)).toEqual(['text/markdown']);
    const logout = responses('POST /auth/logout');
    expect(logout['204']).toBeDefined();
    expect(logout['204'].content).toBeUndefined();
    expect(logout['201']).toBeUndefined();
  });

  it('names the contract fields, and leaves objects open to new fields', () => {
    const campaign = doc.components.schemas.CampaignView;
    expect(Object.keys(campaign.properties)).toEqual(Object.keys(objectOf(campaignViewSchema)!.shape));
    expect(campaign.required).toEqual(expect.arrayContaining(['id', 'status', 'budget']));
    const declared = Object.values(RESPONSE_SCHEMAS).flatMap((byStatus) => Object.values(byStatus).map((d) => d.name));
    for (const name of declared) {
      expect(doc.components.schemas[name], name).toBeDefined();
      expect(JSON.stringify(doc.components.schemas[name]), name).not.toContain('"additionalProperties":false');
    }
    const login = doc.paths['/auth/login'].post.responses['200'].content['application/json'].schema;
    expect(login).toEqual({ $ref: '#/components/schemas/LoginResponse' });
  });
});

describe('real responses validate against the declared schemas', () => {
  it('login, campaigns, imports, labeling, models, policy and webhooks', async () => {
    const login = await app.post('/auth/login', { email: researcher.email, password: researcher.password });
    expect(login.status, login.text).toBe(200);
    fits(loginResponseSchema, login.body);

    const created = await createCampaign(app, researcher.token, { budget: 8, retrainEvery: 3 });
    fits(campaignViewSchema, created);
    const body = jsonl(6, 3);
    const dry = await app.request('POST', `/campaigns/${created.id}/imports?dryRun=true`, {
      token: researcher.token,
      body,
    });
    expect(dry.status, dry.text).toBe(200);
    fits(importReportSchema, dry.body);
    const imported = await app.request('POST', `/campaigns/${created.id}/imports`, { token: researcher.token, body });
    expect(imported.status, imported.text).toBe(201);
    fits(importResultSchema, imported.body);
    const started = await app.post(`/campaigns/${created.id}/start`, {}, researcher.token);
    expect(started.status).toBe(200);
    fits(campaignViewSchema, started.body);
    fits(campaignViewSchema, (await app.get(`/campaigns/${created.id}`, researcher.token)).body);
    fits(campaignViewSchema, (await app.patch(`/campaigns/${created.id}`, { name: 'Renamed' }, researcher.token)).body);
    campaignListSchema.parse((await app.get('/campaigns', researcher.token)).body);

    for (let i = 0; i < 3; i++) {
      const next = await waitFor(async () => {
        const res = await app.post(`/campaigns/${created.id}/next`, {}, researcher.token);
        return res.body.assignment ? res : null;
      });
      fits(nextResponseSchema, next.body);
      const submitted = await app.post(
        `/assignments/${next.body.assignment.id}/submit`,
        { choice: 'A', idempotencyKey: randomUUID() },
        researcher.token,
      );
      expect(submitted.status, submitted.text).toBe(201);
      fits(submitResponseSchema, submitted.body);
    }

    const toSkip = await waitFor(async () => {
      const res = await app.post(`/campaigns/${created.id}/next`, {}, researcher.token);
      return res.body.assignment ? res.body.assignment : null;
    });
    const beat = await app.post(`/assignments/${toSkip.id}/heartbeat`, {}, researcher.token);
    expect(beat.status, beat.text).toBe(200);
    fits(heartbeatResponseSchema, beat.body);
    const skipped = await app.post(
      `/assignments/${toSkip.id}/skip`,
      { reason: 'unreadable', idempotencyKey: randomUUID() },
      researcher.token,
    );
    expect(skipped.status, skipped.text).toBe(201);
    fits(submitResponseSchema, skipped.body);

    const models = await waitFor(async () => {
      const res = await app.get(`/campaigns/${created.id}/models`, researcher.token);
      return res.status === 200 && res.body.items.length > 0 ? res : null;
    }, 60_000);
    const page = fits(modelVersionPageSchema, models.body);
    const detail = await app.get(`/campaigns/${created.id}/models/${page.items[0].version}`, researcher.token);
    fits(modelVersionDetailSchema, detail.body);
    const policy = await waitFor(async () => {
      const res = await app.get(`/campaigns/${created.id}/policy`, researcher.token);
      return res.status === 200 ? res : null;
    }, 60_000);
    fits(policyPageSchema, policy.body);
    const versions = await app.get(`/campaigns/${created.id}/policy/versions`, researcher.token);
    expect(policyVersionListSchema.parse(versions.body).length).toBeGreaterThan(0);
    fits(certificateResponseSchema, (await app.get(`/campaigns/${created.id}/certificate`, researcher.token)).body);
    const jobs = jobRunListSchema.parse((await app.get(`/campaigns/${created.id}/jobs`, researcher.token)).body);
    expect(jobs.map((j) => j.name)).toContain('RewardModelFit');

    const hook = await app.post(
      `/campaigns/${created.id}/webhooks`,
      { url: 'http://127.0.0.1:9/hook', events: ['campaign.completed'] },
      researcher.token,
    );
    fits(webhookCreatedSchema, hook.body);
    fits(webhookListSchema, (await app.get(`/campaigns/${created.id}/webhooks`, researcher.token)).body);
  });

  it('accounts, campaign administration, crowd, stats, browse, catalog, simulations and health', async () => {
    const admin = await app.createUser('admin');
    const campaign = await createCampaign(app, researcher.token, { budget: 6, retrainEvery: 50 });
    const imported = await app.request('POST', `/campaigns/${campaign.id}/imports`, {
      token: researcher.token,
      body: jsonl(4, 3),
    });
    expect(imported.status, imported.text).toBe(201);
    expect((await app.post(`/campaigns/${campaign.id}/start`, {}, researcher.token)).status).toBe(200);
    const next = await waitFor(async () => {
      const res = await app.post(`/campaigns/${campaign.id}/next`, {}, researcher.token);
      return res.body.assignment ? res.body.assignment : null;
    });
    const submitted = await app.post(
      `/assignments/${next.id}/submit`,
      { choice: 'A', idempotencyKey: randomUUID() },
      researcher.token,
    );
    expect(submitted.status, submitted.text).toBe(201);

    const get = async (path: string, token = researcher.token) => {
      const res = await app.get(path, token);
      expect(res.status, `${path}: ${res.text}`).toBe(200);
      return res.body;
    };
    const c = `/campaigns/${campaign.id}`;
    fits(meResponseSchema, await get('/auth/me'));
    expect(sessionListSchema.parse(await get('/auth/sessions'))).toBeDefined();
    const token = await app.post('/auth/tokens', { name: 'openapi' }, researcher.token);
    expect(token.status, token.text).toBe(201);
    fits(tokenCreatedSchema, token.body);
    expect(tokenListSchema.parse(await get('/auth/tokens')).length).toBeGreaterThan(0);
    for (const user of z.array(userViewSchema).parse(await get('/users', admin.token))) fits(userViewSchema, user);
    fits(catalogResponseSchema, await get('/catalog'));
    fits(healthResponseSchema, await get('/health'));
    fits(healthDetailsSchema, await get('/health/details', admin.token));
    fits(simulationPageSchema, await get('/simulations'));

    fits(promptPageSchema, await get(`${c}/prompts`));
    expect(campaignLabelerListSchema.parse(await get(`${c}/labelers`))).toBeDefined();
    expect(auditListSchema.parse(await get(`${c}/audit`)).length).toBeGreaterThan(0);
    const stats = fits(campaignStatsSchema, await get(`${c}/stats`));
    expect(stats.budget.used).toBe(1);
    fits(sourceModelLeaderboardSchema, await get(`${c}/source-models`));
    fits(contentFlagListSchema, await get(`${c}/flags`));
    fits(guidelinesViewSchema, await get(`${c}/guidelines`));
    fits(labelerProgressSchema, await get(`${c}/progress`));
    const crowd = crowdLabelerListSchema.parse(await get(`${c}/crowd/labelers`));
    expect(crowd.map((l) => l.judgments)).toContain(1);
    fits(goldSummarySchema, await get(`${c}/gold`));
    expect(reviewListSchema.parse(await get(`${c}/review`))).toBeDefined();
    const page = fits(browsePageSchema, await get(`${c}/browse/comparisons`));
    expect(page.rows.length).toBeGreaterThan(0);
    fits(browseFacetsSchema, await get(`${c}/browse/facets`));
  });

  it('a schema refuses a body that breaks the contract', () => {
    expect(() => campaignViewSchema.parse({ id: 'x' })).toThrow();
    expect(submitResponseSchema.safeParse({ label: {}, duplicate: false, campaignCompleted: false }).success).toBe(
      false,
    );
  });
});
