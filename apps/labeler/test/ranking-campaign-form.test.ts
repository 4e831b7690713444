/** The create form's Judgment option: pairwise sends nothing new (the API default), ranking sends judgmentMode and rankSize. */
import { createCampaignSchema } from '@borda/api-contract';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VALUES, toCreateRequest } from '../src/console/campaign/campaign-form';

const base = { ...DEFAULT_VALUES, name: 'R', strategy: 'uniform' };

describe('campaign form judgment mode', () => {
  it('leaves pairwise campaigns as before and sends a ranking with its size', () => {
    const pairwise = toCreateRequest(base);
    expect(pairwise).not.toHaveProperty('judgmentMode');
    expect(pairwise).not.toHaveProperty('rankSize');
    const ranking = toCreateRequest({ ...base, judgmentMode: 'ranking', rankSize: '5' });
    expect(ranking).toMatchObject({ judgmentMode: 'ranking', rankSize: 5 });
    expect(createCampaignSchema.parse(ranking)).toMatchObject({ judgmentMode: 'ranking', rankSize: 5 });
    const tooBig = createCampaignSchema.safeParse(toCreateRequest({ ...base, judgmentMode: 'ranking', rankSize: '9' }));
    expect(tooBig.success).toBe(false);
    expect(tooBig.error?.issues[0].path).toEqual(['rankSize']);
  });
});
