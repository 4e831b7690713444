import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import {
  ConfigError,
  EXAMPLE_PROMPTS_PATH,
  environmentFromData,
  environmentFromModule,
  loadEnvironment,
  parsePromptJsonl,
  embeddingEnvironment,
} from '@borda/simulator';

const dir = mkdtempSync(join(tmpdir(), 'borda-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const goodData = {
  name: 'tiny',
  prompts: [
    {
      id: 'a',
      responses: [
        { features: [0, 1], reward: 1, text: 'yes' },
        { features: [1, 0], reward: -1, text: 'no' },
      ],
    },
    {
      responses: [
        { features: [0.5, 0.5], reward: 0 },
        { features: [0.2, 0.1], reward: 2 },
        { features: [0.9, 0.3], reward: -2 },
      ],
    },
  ],
};

describe('JSON data environments', () => {
  it('load with the CandidateSet layout', () => {
    const env = environmentFromData(goodData);
    expect(env.name).toBe('tiny');
    expect(Array.from(env.offsets)).toEqual([0, 2, 5]);
    expect(env.features.cols).toBe(2);
    expect(Array.from(env.features.data.slice(4, 6))).toEqual([0.5, 0.5]);
    expect(Array.from(env.reward)).toEqual([1, -1, 0, 2, -2]);
    expect(env.promptLabels).toEqual(['a', 'prompt 1']);
  });

  const broken = (mutate: (d: typeof goodData) => void) => {
    const d = structuredClone(goodData);
    mutate(d);
    return () => environmentFromData(d, 'env.json');
  };

  it('refuse a prompt with fewer than 2 responses', () => {
    expect(broken((d) => d.prompts[1].responses.splice(1))).toThrow(
      /env.json: prompt 1 has 1 response\(s\); every prompt needs at least 2/,
    );
  });
  it('refuse ragged features naming prompt and response', () => {
    expect(broken((d) => d.prompts[1].responses[2].features.push(3))).toThrow(
      /prompt 1, response 2: features has 3 values, expected 2 .*ragged/,
    );
  });
  it('refuse non-numeric and non-finite values naming the field', () => {
    expect(broken((d) => ((d.prompts[0].responses[1] as { reward: unknown }).reward = 'high'))).toThrow(
      /env.json: prompt 0, response 1, reward: .*expected number/,
    );
    expect(broken((d) => (d.prompts[1].responses[0].features[1] = NaN))).toThrow(
      /prompt 1, response 0, features\[1\]: .*NaN/,
    );
    expect(broken((d) => (d.prompts[1].responses[0].reward = Infinity))).toThrow(
      /prompt 1, response 0, reward: .*Infinity/,
    );
  });
  it('refuse a missing prompts array and an empty features row', () => {
    expect(() => environmentFromData({}, 'env.json')).toThrow(/env.json: prompts: .*expected array/);
    expect(broken((d) => d.prompts.forEach((p) => p.responses.forEach((r) => (r.features = []))))).toThrow(
      /features is empty/,
    );
    expect(() => environmentFromData({}, 'env.json')).toThrow(ConfigError);
  });
});

describe('module environments', () => {
  const perPrompt = {
    prompts: ['p0', 'p1'],
    responses: [
      ['a', 'b'],
      ['c', 'd', 'e'],
    ],
    features: [
      [[0], [1]],
      [[2], [3], [4]],
    ],
    reward: (p: number, k: number) => p * 10 + k,
  };

  it('accept the per-prompt shape with a reward function or arrays', async () => {
    const env = await environmentFromModule(perPrompt);
    expect(Array.from(env.reward)).toEqual([0, 1, 10, 11, 12]);
    expect(env.responseLabels).toEqual(['a', 'b', 'c', 'd', 'e']);
    const env2 = await environmentFromModule({
      ...perPrompt,
      reward: [
        [0, 1],
        [10, 11, 12],
      ],
    });
    expect(Array.from(env2.reward)).toEqual(Array.from(env.reward));
  });

  it('accept the Environment shape and a function of { seed }, also as a default export', async () => {
    const shape = {
      offsets: [0, 2, 4],
      features: [[0], [1], [2], [3]],
      reward: new Float64Array([1, 2, 3, 4]),
      lengthscale: 0.5,
    };
    const env = await environmentFromModule(
      { default: (o: { seed: number }) => ({ ...shape, name: `seeded-${o.seed}` }) },
      { seed: 9 },
    );
    expect(env.name).toBe('seeded-9');
    expect(env.offsets).toBeInstanceOf(Int32Array);
    expect(env.features.rows).toBe(4);
    expect(env.lengthscale).toBe(0.5);
  });

  it('refuse mismatched lengths, NaN features and bad rewards with the index', async () => {
    await expect(environmentFromModule({ ...perPrompt, prompts: ['only one'] }, {}, 'm.js')).rejects.toThrow(
      /m.js: features has 2 entries for 1 prompts \(mismatched lengths\)/,
    );
    await expect(environmentFromModule({ ...perPrompt, responses: [['a', 'b'], ['c']] }, {}, 'm.js')).rejects.toThrow(
      /prompt 1: responses has 1 texts for 3 feature rows/,
    );
    await expect(
      environmentFromModule({ ...perPrompt, features: [[[0], [NaN]], perPrompt.features[1]] }, {}, 'm.js'),
    ).rejects.toThrow(/m.js: prompt 0, response 1, features\[0\]: .*NaN/);
    await expect(environmentFromModule({ ...perPrompt, reward: () => NaN }, {}, 'm.js')).rejects.toThrow(
      /prompt 0, response 0: reward is NaN/,
    );
    await expect(
      environmentFromModule(
        {
          offsets: new Int32Array([0, 2]),
          features: { rows: 2, cols: 1, data: new Float64Array([0, NaN]) },
          reward: [0, 1],
        },
        {},
        'm.js',
      ),
    ).rejects.toThrow(/m.js: prompt 0, response 1 \(row 1\): features\[0\] is NaN/);
    await expect(
      environmentFromModule({ offsets: [0, 1, 3], features: [[0], [1], [2]], reward: [0, 1, 2] }, {}, 'm.js'),
    ).rejects.toThrow(/prompt 0 has 1 response\(s\)/);
    await expect(
      environmentFromModule({ offsets: [0, 2], features: [[0], [1, 2]], reward: [0, 1] }, {}, 'm.js'),
    ).rejects.toThrow(/features row 1 has 2 values, expected 1 \(ragged/);
    await expect(environmentFromModule(42, {}, 'm.js')).rejects.toThrow(
      /must export an environment object or a function/,
    );
    await expect(environmentFromModule({ foo: 1 }, {}, 'm.js')).rejects.toThrow(
      /needs either offsets\/features\/reward or prompts/,
    );
    await expect(
      environmentFromModule(
        () => {
          throw new Error('boom');
        },
        {},
        'm.js',
      ),
    ).rejects.toThrow(/the exported function threw: boom/);
  });
});

describe('loadEnvironment from files', () => {
  it('loads a .json data file, a CommonJS module, an ES module and a .jsonl prompts file', async () => {
    const json = file('env.json', JSON.stringify(goodData));
    expect((await loadEnvironment(json)).features.rows).toBe(5);
    const cjs = file(
      'env.cjs',
      `module.exports = ({ seed }) => ({ name: 'cjs', prompts: ['a', 'b'], features: [[[seed], [0]], [[1], [2]]], reward: [[1, 0], [0, 1]] });`,
    );
    const fromCjs = await loadEnvironment(cjs, { seed: 7 });
    expect(fromCjs.name).toBe('cjs');
    expect(fromCjs.features.data[0]).toBe(7);
    const mjs = file('env.mjs', `export default { offsets: [0, 2], features: [[0], [1]], reward: [0, 1] };`);
    expect((await loadEnvironment(mjs)).reward.length).toBe(2);
    const jsonl = file(
      'p.jsonl',
      `{"prompt": "hi", "responses": ["a", "b"], "rewards": [1, 0]}\n\n{"prompt": "yo", "responses": ["c", "d", "e"], "rewards": [0, 1, 2]}\n`,
    );
    const emb = await loadEnvironment(jsonl);
    expect(Array.from(emb.offsets)).toEqual([0, 2, 5]);
    expect(emb.features.cols).toBe(96);
  });

  it('names unreadable and malformed files', async () => {
    await expect(loadEnvironment(join(dir, 'missing.json'))).rejects.toThrow(/cannot be read \(ENOENT\)/);
    await expect(loadEnvironment(file('bad.json', '{"prompts": ['))).rejects.toThrow(/bad.json: not valid JSON/);
    await expect(loadEnvironment(file('bad.cjs', 'module.exports = ;'))).rejects.toThrow(
      /bad.cjs: the module failed to load/,
    );
  });
});

describe('JSONL prompts (embedding environment)', () => {
  it('the shipped example loads with the TextFeaturiser joint features and its rewards', async () => {
    const env = await loadEnvironment('embedding');
    expect(env.offsets.length - 1).toBe(16);
    expect(env.features.rows).toBe(80);
    expect(env.features.cols).toBe(96);
    expect(env.promptLabels?.[0]).toMatch(/reverse a list/);
    expect(Math.max(...env.reward)).toBe(2);
    expect(EXAMPLE_PROMPTS_PATH).toMatch(/examples[/\\]prompts\.jsonl$/);
  });

  it('uses a reward function over the file rewards', () => {
    const records = parsePromptJsonl('{"prompt": "q", "responses": ["short", "a longer one"]}');
    const env = embeddingEnvironment(records, { reward: (_p, r) => r.length });
    expect(Array.from(env.reward)).toEqual([5, 12]);
    expect(() => embeddingEnvironment(records, {}, 'x.jsonl')).toThrow(
      /x.jsonl: prompt 0 has no "rewards" and no reward function/,
    );
  });

  it('names the line and field of a malformed record', () => {
    expect(() => parsePromptJsonl('{"prompt": "q", "responses": ["a", "b"]}\nnot json', 'p.jsonl')).toThrow(
      /p.jsonl: line 2 is not valid JSON/,
    );
    expect(() => parsePromptJsonl('{"prompt": "q", "responses": ["a"]}', 'p.jsonl')).toThrow(
      /line 1 \(prompt 0\), responses: needs at least 2 responses/,
    );
    expect(() => parsePromptJsonl('{"prompt": "q", "responses": ["a", "b"], "rewards": [1]}', 'p.jsonl')).toThrow(
      /rewards has 1 values for 2 responses \(mismatched lengths\)/,
    );
    expect(() => parsePromptJsonl('{"prompt": "q", "responses": ["a", 3]}', 'p.jsonl')).toThrow(
      /responses\[1\]: .*expected string/,
    );
    expect(() => parsePromptJsonl('\n\n', 'p.jsonl')).toThrow(/no prompts/);
  });
});
