/**
 * Route × role × ownership matrix (issue 12). The routes are read from the running app: every
 * controller method Nest registered, cross-checked against the Express router, so a new route is in
 * the matrix the moment it exists. Expectations are derived from what each route declares
 * (@Public, @Roles) plus one rule table for the ownership of path parameters, then checked against
 * behaviour for anonymous, labeler, researcher and admin callers on their own and on someone else's
 * resources:
 * - anonymous on a protected route: 401; a role the route does not list: 403;
 * - an allowed role on someone else's campaign (simulation, token, lease…): 404 (ids are not confirmed);
 * - an allowed role on its own resources: anything but 401/403/404 (a mutation may answer 400/409/422);
 * - never a 5xx.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common/enums/request-method.enum';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { Role } from '@borda/api-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthService } from '../src/auth/auth.service';
import { IS_PUBLIC, ROLES } from '../src/auth/decorators';
import { DEFAULT_CAMPAIGN, jsonl } from './support/campaign-fixtures';
import { type ApiResponse, startTestApp, type TestApp, type TestUser } from './support/harness';
import { seedCampaign, seedJudgments, seedModelVersion, seedPolicy } from './support/readside-fixtures';

interface Route {
  method: string;
  /** Express path with :params, e.g. /campaigns/:id/models/:version */
  path: string;
  isPublic: boolean;
  /** @Roles of the handler (or its controller); undefined: any signed-in user. */
  roles: Role[] | undefined;
}

function joinPath(...parts: (string | undefined)[]): string {
  const joined = parts
    .filter((p) => p !== undefined && p !== '' && p !== '/')
    .map((p) => p!.replace(/^\/+|\/+$/g, ''))
    .join('/');
  return `/${joined}`;
}

/** Every route Nest mapped, with its declared access, read from the controllers' metadata. */
function nestRoutes(app: INestApplication): Route[] {
  const scanner = new MetadataScanner();
  const routes: Route[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const prefixes = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name] as object;
        const subPath = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        const verb = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (subPath === undefined || verb === undefined) continue;
        // What the AuthGuard reads: the handler's metadata overrides the controller's.
        const isPublic = Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, controller);
        const roles = Reflect.getMetadata(ROLES, handler) ?? Reflect.getMetadata(ROLES, controller);
        for (const prefix of prefixes) {
          for (const sub of ([] as string[]).concat(subPath)) {
            routes.push({ method: RequestMethod[verb], path: joinPath(prefix, sub), isPublic: !!isPublic, roles });
          }
        }
      }
    }
  }
  return routes;
}

/** Method and path of every route layer in the Express router (what really answers requests). */
function expressRoutes(app: INestApplication): Set<string> {
  const instance = app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  const found = new Set<string>();
  for (const layer of instance.router.stack) {
    if (!layer.route) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) {
      if (on && method !== '_all') found.add(`${method.toUpperCase()} ${layer.route.path}`);
    }
  }
  return found;
}

/**
 * Routes outside Nest's controllers: Swagger UI and its document (public by design), and the
 * catch-all layers that answer unknown paths with a JSON 404.
 */
const NON_API = /^(?:(?:GET|HEAD) \/docs(?:\/|$|-)|[A-Z-]+ \/\{\*\w+\}$)/;

type Caller = 'anonymous' | 'labeler' | 'researcher' | 'admin';
type Side = 'own' | 'foreign';

/**
 * Ownership of path parameters: what "own" and "foreign" mean for each, and whether an admin
 * reaches someone else's. A route with a parameter missing here fails the test: decide who owns it.
 */
interface Ownership {
  /** The admin reaches every one of these (campaigns, simulations, sessions) or only their own (leases, tokens). */
  adminBypass: boolean;
  /** Statuses a foreign one may answer for a caller whose role is allowed. */
  foreign: number[];
}
const OWNERSHIP: Record<string, Ownership | null> = {
  // The campaign's owner (and its assigned labelers, where the route lets labelers in).
  'campaigns/:id': { adminBypass: true, foreign: [404] },
  // A lease is its labeler's alone; another's answers 409 LEASE_NOT_HELD (or 404 when unknown).
  'assignments/:id': { adminBypass: false, foreign: [404, 409] },
  'simulations/:id': { adminBypass: true, foreign: [404] },
  'tokens/:id': { adminBypass: false, foreign: [404] },
  'sessions/:id': { adminBypass: true, foreign: [404] },
  // Admin-only user management: no ownership; the target is a spare account.
  'users/:id': null,
  // Sub-resources of the campaign in the path: owned through it.
  ':version': null,
  ':promptId': null,
  ':labelerId': null,
  ':comparisonId': null,
  ':flagId': null,
  ':webhookId': null,
};

/** The ownership-bearing parameter of a route (its first), or null. Throws on an unknown parameter. */
function ownershipOf(route: Route): Ownership | null {
  let owner: Ownership | null = null;
  const segments = route.path.split('/').filter(Boolean);
  segments.forEach((segment, i) => {
    if (!segment.startsWith(':')) return;
    const match = [`${segments[i - 1]}/${segment}`, segment].find((k) => k in OWNERSHIP);
    if (match === undefined) throw new Error(`${route.method} ${route.path}: no ownership rule for ${segment}`);
    owner ??= OWNERSHIP[match];
  });
  return owner;
}

interface World {
  users: Record<Exclude<Caller, 'anonymous'>, TestUser> & { otherResearcher: TestUser; otherLabeler: TestUser };
  /** Per caller and side, the value of each path parameter. */
  params: Record<Exclude<Caller, 'anonymous'>, Record<Side, Record<string, string>>>;
}

describe('route × role × ownership matrix', () => {
  let app: TestApp;
  let routes: Route[];
  let users: World['users'];
  let simulations: Record<string, string>;
  let spareUser: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    const [admin, researcher, labeler, otherResearcher, otherLabeler] = [
      await app.createUser('admin'),
      await app.createUser('researcher'),
      await app.createUser('labeler'),
      await app.createUser('researcher', 'other-researcher'),
      await app.createUser('labeler', 'other-labeler'),
    ];
    users = { admin, researcher, labeler, otherResearcher, otherLabeler };
    spareUser = await app.createUser('labeler', 'spare');
    simulations = {};
    for (const [who, user] of Object.entries({ admin, researcher, otherResearcher })) {
      const res = await app.post(
        '/simulations',
        { environment: 'linear', strategies: ['uniform'], budget: 10, seeds: 1 },
        user.token,
      );
      expect(res.status, res.text).toBe(201);
      simulations[who] = res.body.id;
    }
    routes = nestRoutes(app.http);
  });
  afterAll(() => app?.close());

  it('reads every route from the router, and the router holds no route the matrix misses', () => {
    const declared = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const served = expressRoutes(app.http);
    expect(routes.length).toBeGreaterThan(40);
    for (const route of declared) expect(served, `${route} is declared but not routed`).toContain(route);
    const unknown = [...served].filter((r) => !declared.has(r) && !NON_API.test(r));
    expect(unknown, 'routes served outside the controllers (add them to the matrix)').toEqual([]);
    for (const route of routes) ownershipOf(route); // throws for a parameter without an ownership rule
  });

  /**
   * Fresh campaigns per mutating route, so one route's mutations (complete, archive…) never shape
   * another's answers. Sessions (a password sign-in each) and spare tokens only for routes that take them.
   */
  async function seedWorld(route: Route): Promise<World> {
    const needs = (param: string) => route.path.includes(param);
    const { admin, researcher, labeler, otherResearcher, otherLabeler } = users;
    const own = await seedCampaign(app, researcher, { prompts: 2, responses: 3, labelers: [labeler] });
    const foreign = await seedCampaign(app, otherResearcher, { prompts: 2, responses: 3, labelers: [otherLabeler] });
    const judged = (labeler: TestUser, prompt: number) => ({
      prompt,
      first: 0,
      second: 1,
      labeler,
      choice: 'A' as const,
    });
    const ownJudgments = await seedJudgments(app, own, [
      judged(labeler, 0),
      judged(researcher, 0),
      judged(admin, 1),
      judged(labeler, 1),
    ]);
    const foreignJudgments = await seedJudgments(app, foreign, [judged(otherLabeler, 0), judged(otherResearcher, 1)]);
    // Every comparison stays split after every extra judgment: all are in the review queue.
    await app.db.query(
      'UPDATE comparisons SET votes_first = 1, votes_second = 1, split_extras = 1000 WHERE campaign_id = ANY($1::uuid[])',
      [[own.id, foreign.id]],
    );
    for (const campaign of [own, foreign]) {
      const model = await seedModelVersion(app, campaign, { version: 1, labelCount: 4, gap: 0.1 });
      await seedPolicy(app, campaign, model, { version: 1, labelCount: 4 });
    }
    const { rows } = await app.db.query<{ id: string; labeler_id: string }>(
      'SELECT id, labeler_id FROM assignments WHERE campaign_id = ANY($1::uuid[])',
      [[own.id, foreign.id]],
    );
    const assignmentOf = (user: TestUser) => rows.find((r) => r.labeler_id === user.id)!.id;
    // A content flag per campaign, raised by its labeler on their assignment.
    const flagOf = async (user: TestUser) =>
      (
        await app.db.query<{ id: string }>(
          `INSERT INTO content_flags (id, campaign_id, comparison_id, assignment_id, labeler_id)
           SELECT gen_random_uuid(), campaign_id, comparison_id, id, labeler_id FROM assignments WHERE id = $1
           RETURNING id`,
          [assignmentOf(user)],
        )
      ).rows[0].id;
    // A webhook per caller on the own campaign (deleting one must not take another caller's) and one foreign.
    // (Made for every world: the reads share one, seeded by whichever GET route comes first.)
    const webhookOf = async (campaignId: string) =>
      (
        await app.db.query<{ id: string }>(
          `INSERT INTO webhooks (campaign_id, url, events, secret) VALUES ($1, 'http://127.0.0.1:9/hook',
             ARRAY['campaign.completed'], 'matrix-secret') RETURNING id`,
          [campaignId],
        )
      ).rows[0].id;
    const ownHooks = {
      labeler: await webhookOf(own.id),
      researcher: await webhookOf(own.id),
      admin: await webhookOf(own.id),
    };
    const foreignHook = await webhookOf(foreign.id);
    const ownFlag = needs(':flagId') ? await flagOf(labeler) : randomUUID();
    const foreignFlag = needs(':flagId') ? await flagOf(otherLabeler) : randomUUID();
    const auth = app.http.get(AuthService);
    const spareToken = async (user: TestUser) =>
      needs('/tokens/:id') ? (await auth.createToken(user.id, 'matrix spare')).id : randomUUID();
    const sessionOf = async (user: TestUser) => (needs('/sessions/:id') ? signedInSession(user) : randomUUID());
    // Each caller adjudicates (or marks as gold) a comparison of its own, so that one caller's answer
    // does not take the comparison out of the review queue before the next caller's turn.
    const sideParams = (campaign: typeof own, comparison: number, comparisonIds: string[], labelerId: string) => ({
      ':id@campaigns': campaign.id,
      ':version': '1',
      ':promptId': campaign.prompts[0].id,
      ':labelerId': labelerId,
      ':comparisonId': comparisonIds[comparison],
      answer: campaign.prompts[[0, 0, 1, 1][comparison]].responseIds[0],
      ':id@users': spareUser.id,
    });
    const ownIndex = { labeler: 0, researcher: 1, admin: 2 };
    const foreignSide = {
      ...sideParams(foreign, 0, foreignJudgments.comparisonIds, otherLabeler.id),
      ':id@assignments': assignmentOf(otherLabeler),
      ':id@simulations': simulations.otherResearcher,
      ':id@tokens': await spareToken(otherResearcher),
      ':id@sessions': await sessionOf(otherResearcher),
      ':flagId': foreignFlag,
      ':webhookId': foreignHook,
    };
    const params = {} as World['params'];
    for (const who of ['labeler', 'researcher', 'admin'] as const) {
      params[who] = {
        own: {
          ...sideParams(own, ownIndex[who], ownJudgments.comparisonIds, labeler.id),
          ':id@assignments': assignmentOf(users[who]),
          ':id@simulations': simulations[who] ?? simulations.researcher,
          ':id@tokens': await spareToken(users[who]),
          ':id@sessions': await sessionOf(users[who]),
          ':flagId': ownFlag,
          ':webhookId': ownHooks[who],
        },
        foreign: foreignSide,
      };
    }
    return { users, params };
  }

  /** A session of the user (sessions are made by signing in with the password). */
  async function signedInSession(user: TestUser): Promise<string> {
    const login = await app.post('/auth/login', { email: user.email, password: user.password });
    expect(login.status, login.text).toBe(200);
    const list = await app.get('/auth/sessions', login.body.accessToken);
    const items = (Array.isArray(list.body) ? list.body : (list.body?.items ?? [])) as { id: string }[];
    return items[0]?.id ?? randomUUID();
  }

  function fill(route: Route, params: Record<string, string>): string {
    const segments = route.path.split('/');
    return segments
      .map((segment, i) => {
        if (!segment.startsWith(':')) return segment;
        const parent = segments[i - 1];
        const value = params[`${segment}@${parent}`] ?? params[segment];
        if (value === undefined)
          throw new Error(`${route.method} ${route.path}: no value for ${segment} after ${parent}`);
        return encodeURIComponent(value);
      })
      .join('/');
  }

  /**
   * A harmless, valid body per mutating route (a failed validation would answer 400 before the
   * ownership check could answer 404). Not an expectation: routes without an entry send none.
   */
  function requestFor(
    route: Route,
    world: World,
    params: Record<string, string>,
  ): { body?: unknown; contentType?: string; query?: string } {
    const key = () => `matrix-${randomBytes(6).toString('hex')}`;
    switch (`${route.method} ${route.path}`) {
      case 'POST /auth/login':
        return { body: { email: world.users.labeler.email, password: world.users.labeler.password } };
      case 'POST /auth/tokens':
        return { body: { name: 'matrix' } };
      case 'POST /users':
        return { body: { email: `${key()}@test.borda`, name: 'Matrix', role: 'labeler', password: 'matrix-password' } };
      case 'POST /campaigns':
        return { body: DEFAULT_CAMPAIGN };
      case 'POST /users/invitations':
        return { body: { csv: `${key()}@test.borda,labeler` }, query: '?dryRun=true' };
      case 'POST /campaigns/:id/guidelines/ack':
        return { body: { version: 1 } };
      case 'POST /assignments/:id/flag':
        return { body: { idempotencyKey: key(), note: 'matrix' } };
      case 'POST /campaigns/:id/flags/:flagId/resolve':
        return { body: { resolution: 'dismissed' } };
      case 'PATCH /campaigns/:id':
        return { body: { description: 'matrix' } };
      case 'PUT /campaigns/:id/labelers':
        return { body: { labelerIds: [params[':labelerId']] } };
      case 'POST /campaigns/:id/imports':
        return { body: jsonl(1, 2), contentType: 'application/x-ndjson', query: '?dryRun=true' };
      case 'POST /campaigns/:id/gold':
        return { body: { comparisonId: params[':comparisonId'], answer: params.answer } };
      case 'POST /campaigns/:id/gold/imports':
        return { body: `${JSON.stringify({ promptId: 'p0', responseIds: ['r0', 'r1'], answer: 'r0' })}\n` };
      case 'POST /campaigns/:id/gold/generate':
        return { body: { count: 1 } };
      case 'POST /campaigns/:id/review/:comparisonId':
        return { body: { answer: params.answer } };
      case 'POST /assignments/:id/submit':
        return { body: { choice: 'B', idempotencyKey: key() } };
      case 'POST /assignments/:id/rank':
        // A pairwise lease: the owner gets 409 NOT_A_RANKING, anyone else 404/409 as for submit.
        return { body: { order: [randomUUID(), randomUUID()], idempotencyKey: key() } };
      case 'POST /assignments/:id/skip':
        return { body: { reason: 'matrix', idempotencyKey: key() } };
      case 'POST /assignments/:id/revise':
        return { body: { choice: 'B', idempotencyKey: key() } };
      case 'POST /campaigns/:id/webhooks':
        return { body: { url: 'http://127.0.0.1:9/hook', events: ['campaign.completed'] } };
      case 'POST /simulations':
        return { body: { environment: 'linear', strategies: ['uniform'], budget: 10, seeds: 1 } };
      default:
        return route.method === 'GET' || route.method === 'DELETE' ? {} : { body: {} };
    }
  }

  function callers(route: Route): { caller: Caller; side: Side }[] {
    const scoped = ownershipOf(route) !== null;
    const list: { caller: Caller; side: Side }[] = [{ caller: 'anonymous', side: 'own' }];
    for (const caller of ['labeler', 'researcher', 'admin'] as const) {
      list.push({ caller, side: 'own' });
      if (scoped) list.push({ caller, side: 'foreign' });
    }
    return list;
  }

  /** The expectation, from the route's declared rules and the ownership table; null: "allowed". */
  function expected(route: Route, caller: Caller, side: Side): { statuses: number[]; why: string } | null {
    if (route.isPublic) return null;
    if (caller === 'anonymous') return { statuses: [401], why: 'protected route, no credentials' };
    if (route.roles && caller !== 'admin' && !route.roles.includes(caller)) {
      return { statuses: [403], why: `route is @Roles(${route.roles.join(', ')})` };
    }
    const owner = ownershipOf(route);
    if (side === 'foreign' && owner && !(caller === 'admin' && owner.adminBypass)) {
      return { statuses: owner.foreign, why: "someone else's resource" };
    }
    return null;
  }

  it(
    'answers every route for every caller as its declared rules say, and never with a 5xx',
    { timeout: 120_000 },
    async () => {
      const failures: string[] = [];
      let checked = 0;
      let readWorld: World | undefined;
      // Mutations last within a route are not needed: each route gets fresh campaigns.
      for (const route of routes) {
        // Reads share one world; everything else (and what takes a session or token) gets its own.
        const reusable =
          route.method === 'GET' && !route.path.includes('/sessions/') && !route.path.includes('/tokens/');
        const world = reusable ? (readWorld ??= await seedWorld(route)) : await seedWorld(route);
        for (const { caller, side } of callers(route)) {
          const params = caller === 'anonymous' ? world.params.researcher.own : world.params[caller][side];
          const { body, contentType, query } = requestFor(route, world, params);
          const url = fill(route, params) + (query ?? '');
          const token = caller === 'anonymous' ? undefined : world.users[caller].token;
          const res: ApiResponse = await app.request(route.method, url, { token, body, contentType });
          checked++;
          const label = `${route.method} ${route.path} as ${caller} (${side}): ${res.status} ${res.text.slice(0, 160)}`;
          const want = expected(route, caller, side);
          if (res.status >= 500) failures.push(`${label} — a 5xx`);
          else if (want && !want.statuses.includes(res.status)) {
            failures.push(`${label} — expected ${want.statuses.join('/')} (${want.why})`);
          } else if (want?.statuses.includes(409) && res.status === 409 && res.body?.code !== 'LEASE_NOT_HELD') {
            failures.push(`${label} — a foreign lease must be refused as LEASE_NOT_HELD`);
          } else if (!want && [401, 403, 404].includes(res.status)) {
            failures.push(`${label} — expected to be allowed`);
          }
        }
      }
      expect(failures).toEqual([]);
      expect(checked).toBeGreaterThan(routes.length * 4);
    },
  );
});
