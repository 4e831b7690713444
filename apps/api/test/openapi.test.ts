/**
 * The OpenAPI document declares response bodies: every main route has a 2xx JSON schema with
 * properties, and real responses of those routes validate against the contract's zod schemas.
 */
import { randomUUID } from 'node:crypto';
import {
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
import { RESPONSE_SCHEMAS } from '../src/openapi-responses';
import { createCampaign, jsonl } from './support/campaign-fixtures';
import { type TestApp, type TestUser, startTestApp, waitFor } from './support/harness';

/** Routes that must declare a body (written out, not read from the table, so dropping an entry fails here). */
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
  it('declares a 2xx JSON body with properties on every main route', () => {
    const routes = Object.entries(doc.paths as Json).flatMap(([path, ops]) =>
      Object.keys(ops as Json)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes.length).toBeGreaterThan(40);
    for (const route of MAIN_ROUTES) expect(routes, `${route} is in the document`).toContain(route);
    const undeclared = routes.filter((r) => !declaredBody(r));
    // The rest are listed, so the remaining work is visible in the test output.
    console.info(
      `${undeclared.length} of ${routes.length} routes declare no JSON body yet:\n  ${undeclared.join('\n  ')}`,
    );
    expect(MAIN_ROUTES.filter((r) => undeclared.includes(r))).toEqual([]);
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

  it('a schema refuses a body that breaks the contract', () => {
    expect(() => campaignViewSchema.parse({ id: 'x' })).toThrow();
    expect(submitResponseSchema.safeParse({ label: {}, duplicate: false, campaignCompleted: false }).success).toBe(
      false,
    );
  });
});
