/**
 * Response bodies in the OpenAPI document, from the shared contract's zod schemas
 * (libs/api-contract/src/responses.ts). Declared here, route by route, instead of with decorators on
 * each controller: one table to read, and a route that is renamed shows up as a missing entry in
 * test/openapi.test.ts rather than silently losing its schema. Routes with their own decorators
 * (webhooks) are not repeated here.
 */
import type { OpenAPIObject } from '@nestjs/swagger';
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
} from '@borda/api-contract';
import { z } from 'zod';

interface Declared {
  readonly name: string;
  readonly schema: z.ZodType;
  readonly description?: string;
}

/** `METHOD /path` as in the document → status → body. */
export const RESPONSE_SCHEMAS: Record<string, Record<number, Declared>> = {
  'POST /auth/login': { 200: { name: 'LoginResponse', schema: loginResponseSchema } },
  'POST /campaigns': { 201: { name: 'CampaignView', schema: campaignViewSchema } },
  'GET /campaigns': {
    200: {
      name: 'CampaignList',
      schema: campaignListSchema,
      description: 'Full views for researchers and admins; labelers get their own progress only.',
    },
  },
  'GET /campaigns/{id}': { 200: { name: 'CampaignView', schema: campaignViewSchema } },
  'PATCH /campaigns/{id}': { 200: { name: 'CampaignView', schema: campaignViewSchema } },
  ...Object.fromEntries(
    ['start', 'pause', 'resume', 'complete', 'archive'].map((t) => [
      `POST /campaigns/{id}/${t}`,
      { 200: { name: 'CampaignView', schema: campaignViewSchema } },
    ]),
  ),
  'POST /campaigns/{id}/imports': {
    201: { name: 'ImportResult', schema: importResultSchema },
    200: { name: 'ImportReport', schema: importReportSchema, description: 'A dry run (?dryRun=true): nothing stored.' },
  },
  'POST /campaigns/{id}/next': { 200: { name: 'NextResponse', schema: nextResponseSchema } },
  'POST /assignments/{id}/submit': { 201: { name: 'SubmitResponse', schema: submitResponseSchema } },
  'GET /campaigns/{id}/models': { 200: { name: 'ModelVersionPage', schema: modelVersionPageSchema } },
  'GET /campaigns/{id}/models/{version}': { 200: { name: 'ModelVersionDetail', schema: modelVersionDetailSchema } },
  'GET /campaigns/{id}/policy': { 200: { name: 'PolicyPage', schema: policyPageSchema } },
  'POST /assignments/{id}/skip': { 201: { name: 'SubmitResponse', schema: submitResponseSchema } },
  'POST /assignments/{id}/heartbeat': { 200: { name: 'HeartbeatResponse', schema: heartbeatResponseSchema } },
  'GET /campaigns/{id}/jobs': { 200: { name: 'JobRunList', schema: jobRunListSchema } },
  'GET /campaigns/{id}/certificate': { 200: { name: 'CertificateResponse', schema: certificateResponseSchema } },
  'GET /campaigns/{id}/policy/versions': { 200: { name: 'PolicyVersionList', schema: policyVersionListSchema } },
};

/**
 * Responses may gain fields (additive changes are compatible), so the document does not forbid
 * unknown ones: zod's output schemas say additionalProperties false for every object.
 */
function openObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(openObjects);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if ((key === 'additionalProperties' && value === false) || key === '$schema') continue;
    out[key] = openObjects(value);
  }
  return out;
}

/** Adds the declared bodies to the document (components.schemas + $ref); returns the routes not found. */
export function declareResponses(document: OpenAPIObject): string[] {
  const missing: string[] = [];
  const components = (document.components ??= {});
  const schemas = (components.schemas ??= {});
  for (const [route, byStatus] of Object.entries(RESPONSE_SCHEMAS)) {
    const [method, path] = route.split(' ');
    const operation = document.paths[path]?.[method.toLowerCase() as 'get'];
    if (!operation) {
      missing.push(route);
      continue;
    }
    for (const [status, declared] of Object.entries(byStatus)) {
      schemas[declared.name] ??= openObjects(
        z.toJSONSchema(declared.schema, { target: 'openapi-3.0', io: 'output', unrepresentable: 'any' }),
      ) as object;
      const existing = operation.responses[status] as { description?: string } | undefined;
      operation.responses[status] = {
        ...existing,
        description: declared.description ?? existing?.description ?? '',
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${declared.name}` } } },
      };
    }
  }
  return missing;
}
