import { EXPORT_FORMATS, MODEL_KIND_NAMES } from '@borda/api-contract';
import { STRATEGY_NAMES, strategyCompatibleModelKinds, strategyModelKind } from '@borda/dueling-bandit';
import { ENVIRONMENT_NAMES } from '@borda/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/harness';

describe('GET /catalog', () => {
  let app: TestApp;
  let researcher: TestUser;
  let labeler: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    [researcher, labeler] = await Promise.all([app.createUser('researcher'), app.createUser('labeler')]);
  });
  afterAll(() => app?.close());

  it('lists every strategy with a description and its model families', async () => {
    const res = await app.get('/catalog', researcher.token);
    expect(res.status).toBe(200);
    expect(res.body.strategies.map((s: any) => s.name)).toEqual([...STRATEGY_NAMES]);
    for (const strategy of res.body.strategies) {
      expect(typeof strategy.description).toBe('string');
      expect(strategy.description.trim().length).toBeGreaterThan(10);
      expect(strategy.defaultModel).toBe(strategyModelKind(strategy.name));
      expect(strategy.compatibleModels).toEqual([...strategyCompatibleModelKinds(strategy.name)]);
      expect(strategy.compatibleModels).toContain(strategy.defaultModel);
      for (const model of strategy.compatibleModels) expect(MODEL_KIND_NAMES).toContain(model);
    }
    expect(res.body.strategies.find((s: any) => s.name === 'ae-borda')).toMatchObject({
      defaultModel: 'borda-gp',
      description: expect.stringContaining('AE-Borda'),
    });
  });

  it('lists the environments, model kinds and export formats', async () => {
    const res = await app.get('/catalog', researcher.token);
    expect(res.body.environments.map((e: any) => e.name)).toEqual([...ENVIRONMENT_NAMES]);
    for (const environment of res.body.environments) {
      expect(environment.description.trim().length).toBeGreaterThan(10);
      expect(environment.description).not.toContain('\n');
    }
    expect(res.body.models).toEqual([...MODEL_KIND_NAMES]);
    expect(res.body.exportFormats).toEqual([...EXPORT_FORMATS]);
  });

  it('is open to any signed-in role, and to nobody else', async () => {
    const asLabeler = await app.get('/catalog', labeler.token);
    expect(asLabeler.status).toBe(200);
    expect(asLabeler.body.strategies.length).toBe(STRATEGY_NAMES.length);
    const anonymous = await app.get('/catalog');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');
  });
});
