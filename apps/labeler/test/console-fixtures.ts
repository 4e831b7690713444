/** A campaign as GET /campaigns/:id returns it, for the console's component tests. */
import type { CampaignView } from '@borda/api-contract';

/** An active campaign a quarter through its budget; tests override what they are about. */
export function campaignView(overrides: Partial<CampaignView> & Pick<CampaignView, 'id'>): CampaignView {
  return {
    ownerId: 'owner',
    name: 'Helpfulness v1',
    description: 'Which answer helps more?',
    guidelines: '',
    status: 'active',
    strategy: 'borda-ucb',
    strategyOptions: {},
    model: 'auto',
    modelOptions: {},
    budget: 1000,
    redundancy: 2,
    retrainEvery: 50,
    batchSize: 16,
    bufferSize: 32,
    leaseSeconds: 300,
    yardstickShare: 0.1,
    featureSource: 'text',
    featureDim: 32,
    seed: 1,
    labelCount: 250,
    promptCount: 40,
    responseCount: 160,
    budgetUsed: 0.25,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
    haltedReason: null,
    startedAt: '2026-01-01T01:00:00.000Z',
    completedAt: null,
    ...overrides,
  };
}
