/**
 * Response bodies in the OpenAPI document, from the shared contract's zod schemas
 * (libs/api-contract/src/responses.ts). Declared here, route by route, instead of with decorators on
 * each controller: one table to read, and a route that is renamed shows up as a missing entry in
 * test/openapi.test.ts rather than silently losing its schema. Routes with their own decorators
 * (webhooks) are not repeated here. Routes that answer no JSON (streamed exports, the dataset card,
 * 204s) are declared as such in NON_JSON_RESPONSES; the test fails for any other route without a
 * JSON body. /metrics is left out of the document (ApiExcludeController).
 */
import type { OpenAPIObject } from '@nestjs/swagger';
import {
  aspectSummarySchema,
  auditListSchema,
  browseComparisonSchema,
  browseFacetsSchema,
  browsePageSchema,
  campaignLabelerListSchema,
  campaignStatsSchema,
  catalogResponseSchema,
  contentFlagListSchema,
  crowdLabelerListSchema,
  flagResponseSchema,
  generateGoldResultSchema,
  goldAnswerSchema,
  goldImportResultSchema,
  goldSummarySchema,
  guidelinesAckResponseSchema,
  guidelinesViewSchema,
  healthDetailsSchema,
  healthResponseSchema,
  inviteResponseSchema,
  labelerActionResponseSchema,
  labelerProgressSchema,
  meResponseSchema,
  passwordResetResponseSchema,
  policyPromptDetailSchema,
  promptPageSchema,
  rankResponseSchema,
  retrainResponseSchema,
  reviewListSchema,
  reviseResponseSchema,
  revokedSessionsSchema,
  sessionListSchema,
  simulationPageSchema,
  simulationViewSchema,
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
  'GET /campaigns/{id}/policy/prompts/{promptId}': {
    200: { name: 'PolicyPromptDetail', schema: policyPromptDetailSchema },
  },
  // Accounts and sessions.
  'GET /auth/sessions': { 200: { name: 'SessionList', schema: sessionListSchema } },
  'DELETE /auth/sessions': { 200: { name: 'RevokedSessions', schema: revokedSessionsSchema } },
  'GET /auth/me': { 200: { name: 'MeResponse', schema: meResponseSchema } },
  'POST /auth/tokens': {
    201: { name: 'TokenCreated', schema: tokenCreatedSchema, description: 'The token is shown this once.' },
  },
  'GET /auth/tokens': { 200: { name: 'TokenList', schema: tokenListSchema } },
  'POST /users': { 201: { name: 'UserView', schema: userViewSchema } },
  'GET /users': { 200: { name: 'UserList', schema: z.array(userViewSchema) } },
  'POST /users/{id}/disable': { 200: { name: 'UserView', schema: userViewSchema } },
  'POST /users/{id}/enable': { 200: { name: 'UserView', schema: userViewSchema } },
  'DELETE /users/{id}/sessions': { 200: { name: 'RevokedSessions', schema: revokedSessionsSchema } },
  'POST /users/{id}/password': { 200: { name: 'PasswordResetResponse', schema: passwordResetResponseSchema } },
  'POST /users/invitations': {
    200: { name: 'InviteResponse', schema: inviteResponseSchema, description: 'A dry run (?dryRun=true).' },
    201: { name: 'InviteResponse', schema: inviteResponseSchema },
  },
  // Campaign administration.
  'POST /campaigns/{id}/retrain': { 202: { name: 'RetrainResponse', schema: retrainResponseSchema } },
  'GET /campaigns/{id}/labelers': { 200: { name: 'CampaignLabelerList', schema: campaignLabelerListSchema } },
  'PUT /campaigns/{id}/labelers': { 200: { name: 'CampaignLabelerList', schema: campaignLabelerListSchema } },
  'GET /campaigns/{id}/prompts': { 200: { name: 'PromptPage', schema: promptPageSchema } },
  'GET /campaigns/{id}/audit': { 200: { name: 'AuditList', schema: auditListSchema } },
  'GET /campaigns/{id}/aspects': { 200: { name: 'AspectSummary', schema: aspectSummarySchema } },
  'GET /campaigns/{id}/stats': { 200: { name: 'CampaignStats', schema: campaignStatsSchema } },
  'GET /campaigns/{id}/source-models': {
    200: { name: 'SourceModelLeaderboard', schema: sourceModelLeaderboardSchema },
  },
  'GET /campaigns/{id}/flags': { 200: { name: 'ContentFlagList', schema: contentFlagListSchema } },
  'GET /campaigns/{id}/guidelines': { 200: { name: 'GuidelinesView', schema: guidelinesViewSchema } },
  'POST /campaigns/{id}/guidelines/ack': {
    200: { name: 'GuidelinesAckResponse', schema: guidelinesAckResponseSchema },
  },
  'GET /campaigns/{id}/browse/comparisons': { 200: { name: 'BrowsePage', schema: browsePageSchema } },
  'GET /campaigns/{id}/browse/facets': { 200: { name: 'BrowseFacets', schema: browseFacetsSchema } },
  'GET /campaigns/{id}/browse/comparisons/{comparisonId}': {
    200: { name: 'BrowseComparison', schema: browseComparisonSchema },
  },
  // Labeling beyond next/submit.
  'GET /campaigns/{id}/progress': { 200: { name: 'LabelerProgress', schema: labelerProgressSchema } },
  'POST /assignments/{id}/rank': {
    201: { name: 'RankResponse', schema: rankResponseSchema },
    200: { name: 'RankResponse', schema: rankResponseSchema, description: 'A repeated request.' },
  },
  'POST /assignments/{id}/flag': {
    201: { name: 'FlagResponse', schema: flagResponseSchema },
    200: { name: 'FlagResponse', schema: flagResponseSchema, description: 'A repeated request.' },
  },
  'POST /assignments/{id}/revise': { 200: { name: 'ReviseResponse', schema: reviseResponseSchema } },
  // Crowd quality, gold and review.
  'GET /campaigns/{id}/crowd/labelers': { 200: { name: 'CrowdLabelerList', schema: crowdLabelerListSchema } },
  ...Object.fromEntries(
    ['exclude', 'restore', 'pause', 'resume'].map((action) => [
      `POST /campaigns/{id}/crowd/labelers/{labelerId}/${action}`,
      { 200: { name: 'LabelerActionResponse', schema: labelerActionResponseSchema } },
    ]),
  ),
  'GET /campaigns/{id}/gold': { 200: { name: 'GoldSummary', schema: goldSummarySchema } },
  'POST /campaigns/{id}/gold': { 200: { name: 'GoldAnswer', schema: goldAnswerSchema } },
  'POST /campaigns/{id}/gold/imports': { 201: { name: 'GoldImportResult', schema: goldImportResultSchema } },
  'POST /campaigns/{id}/gold/generate': { 201: { name: 'GenerateGoldResult', schema: generateGoldResultSchema } },
  'GET /campaigns/{id}/review': { 200: { name: 'ReviewList', schema: reviewListSchema } },
  'POST /campaigns/{id}/review/{comparisonId}': { 200: { name: 'GoldAnswer', schema: goldAnswerSchema } },
  // Simulations, catalog, health.
  'POST /simulations': { 201: { name: 'SimulationView', schema: simulationViewSchema } },
  'GET /simulations': { 200: { name: 'SimulationPage', schema: simulationPageSchema } },
  'GET /simulations/{id}': { 200: { name: 'SimulationView', schema: simulationViewSchema } },
  'GET /catalog': { 200: { name: 'CatalogResponse', schema: catalogResponseSchema } },
  'GET /health': {
    200: { name: 'HealthResponse', schema: healthResponseSchema },
    503: { name: 'HealthResponse', schema: healthResponseSchema, description: 'A dependency is down.' },
  },
  'GET /health/details': { 200: { name: 'HealthDetails', schema: healthDetailsSchema } },
};

const EXPORT_TYPES = ['application/x-ndjson', 'application/vnd.apache.parquet'];

/**
 * Routes whose 2xx answer is not JSON: content types of a streamed or text body, or 'empty' (204).
 * Written into the document too, so a client generator sees a file download rather than an object.
 */
export const NON_JSON_RESPONSES: Record<
  string,
  { readonly status: number; readonly body: readonly string[] | 'empty' }
> = {
  ...Object.fromEntries(
    ['raw', 'kto', 'trl', 'trl-conversational', 'openai', 'best-of-n'].map((format) => [
      `GET /campaigns/{id}/exports/${format}`,
      { status: 200, body: EXPORT_TYPES },
    ]),
  ),
  'GET /campaigns/{id}/exports/card': { status: 200, body: ['text/markdown'] },
  'GET /campaigns/{id}/exports/rankings': { status: 200, body: ['application/x-ndjson'] },
  'POST /auth/logout': { status: 204, body: 'empty' },
  'DELETE /auth/sessions/{id}': { status: 204, body: 'empty' },
  'DELETE /auth/tokens/{id}': { status: 204, body: 'empty' },
  'DELETE /campaigns/{id}/webhooks/{webhookId}': { status: 204, body: 'empty' },
  'POST /campaigns/{id}/flags/{flagId}/resolve': { status: 204, body: 'empty' },
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
  for (const [route, declared] of Object.entries(NON_JSON_RESPONSES)) {
    const [method, path] = route.split(' ');
    const operation = document.paths[path]?.[method.toLowerCase() as 'get'];
    if (!operation) {
      missing.push(route);
      continue;
    }
    // Nest's default 201/200 entry for the method is replaced by what the route really answers.
    for (const status of Object.keys(operation.responses))
      if (/^2\d\d$/.test(status)) delete operation.responses[status];
    operation.responses[declared.status] =
      declared.body === 'empty'
        ? { description: 'No content.' }
        : {
            description: declared.body.includes('application/x-ndjson')
              ? 'Streamed: JSON Lines, or Parquet with ?file=parquet.'
              : '',
            content: Object.fromEntries(
              declared.body.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
            ),
          };
  }
  return missing;
}
