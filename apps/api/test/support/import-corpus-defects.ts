/**
 * Bad JSONL import lines for the import fuzz corpus: each is a valid line with one defect, with the
 * code the import must refuse it with, so the verdict is known without asking the service.
 */
import type { ImportLineCode } from '@borda/api-contract';
import {
  asObject,
  type CampaignKind,
  type LineMaker,
  type Made,
  NESTED,
  type Rng,
  setOwn,
  text,
  withLiteral,
} from './import-corpus-lines';

/** The fuzz test's app runs with this line limit, so an over-long line costs only a few hundred KB. */
export const MAX_LINE_BYTES = 256 * 1024;

/** UTF-8 errors: a bad lead byte, a missing continuation, overlong, an encoded surrogate, > U+10FFFF, truncated. */
const BAD_UTF8 = [
  [0xff],
  [0xc3, 0x28],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0x80],
  [0xf0, 0x9f, 0x98],
];

/** A valid line with one defect, and the code that must refuse it. */
export function hostileInvalid(
  make: LineMaker,
  rng: Rng,
  kind: CampaignKind,
  earlierIds: readonly string[],
): Made & { expect: ImportLineCode } {
  const line = make.line(kind);
  const json = text(line);
  const bad = (expect: ImportLineCode, label: string, t: string | Buffer) => ({ expect, label, text: t });
  const inString = (value: string) => {
    const places: ((l: Record<string, any>) => void)[] = [
      (l) => {
        l.id = `${l.id}${value}`;
      },
      (l) => {
        if (l.prompt !== undefined) l.prompt += value;
        else l.messages[0].content += value;
      },
      (l) => {
        l.responses[0] =
          typeof l.responses[0] === 'string' ? `${l.responses[0]}${value}` : { ...l.responses[0], text: `x${value}` };
      },
      (l) => {
        l.metadata = { k: `v${value}` };
      },
      (l) => {
        const m = {};
        setOwn(m, `k${value}`, 1);
        l.metadata = m;
      },
      (l) => {
        l.responses[1] = { ...asObject(l.responses[1]), model: `m${value}` };
      },
      (l) => {
        l.responses[1] = { ...asObject(l.responses[1]), metadata: { a: [1, { b: value }] } };
      },
    ];
    const copy = JSON.parse(json);
    rng.pick(places)(copy);
    return text(copy);
  };
  const variants: (() => Made & { expect: ImportLineCode })[] = [
    () => bad('INVALID_JSON', 'truncated', json.slice(0, rng.int(1, json.length - 1))),
    () => bad('INVALID_JSON', 'trailing comma', `${json.slice(0, -1)},}`),
    () => {
      const [label, t] = rng.pick<[string, string]>([
        ['csv', 'id,prompt,response_a,response_b'],
        ['yaml', 'id: p1'],
        ['single quotes', "{'id': 'p1', 'prompt': 'x'}"],
        ['two objects', json + json],
        ['comment', `${json} // note`],
        ['BOM', `\ufeff${json}`],
        ['hex number', withLiteral(line, '0x10')],
      ]);
      return bad('INVALID_JSON', label, t);
    },
    () =>
      bad(
        'INVALID_JSON',
        'NaN / Infinity / leading zero',
        withLiteral(line, rng.pick(['NaN', 'Infinity', '-Infinity', '01', '+1', '.5', '1.'])),
      ),
    () =>
      bad(
        'INVALID_JSON',
        'raw control character in a string',
        json.replace('{"id":"', `{"id":"${rng.pick(['\u0000', '\u0001', '\u001f', '\u0008'])}`),
      ),
    () =>
      bad('INVALID_FIELD', 'not a line object', rng.pick([`[${json}]`, '"just a string"', '42', 'null', 'true', '[]'])),
    () =>
      bad(
        'INVALID_FIELD',
        'wrong field',
        text(
          rng.pick([
            { ...line, id: 12345 },
            { ...line, id: '' },
            { ...line, id: 'i'.repeat(257) },
            { ...line, responses: line.responses.slice(0, 1) },
            { ...line, responses: Array.from({ length: 65 }, () => 'r') },
            { ...line, responses: [{ text: '' }, 'b'] },
            { ...line, extra: 1 },
            { ...line, prompt: 'p', messages: [{ role: 'user', content: 'c' }] },
            { ...line, prompt: undefined, messages: undefined },
            { ...line, metadata: rng.pick([[1], 'meta', null, 3]) },
            {
              ...line,
              responses: [
                { text: 'a', ref_logprob: 0.5 },
                { text: 'b', ref_logprob: 'x' },
              ],
            },
            { ...line, responses: [{ text: 'a', extra: true }, 'b'] },
            { ...line, prompt: undefined, messages: [] },
            { ...line, prompt: 7, messages: undefined },
            { ...line, prompt: undefined, messages: [{ content: 'no role' }] },
            { ...line, responses: [{ text: 'a', model: 'm'.repeat(257) }, 'b'] },
          ]),
        ),
      ),
    () => bad('INVALID_FIELD', 'own __proto__ field on the line', `${json.slice(0, -1)},"__proto__":{"id":"x"}}`),
    () => bad('INVALID_FIELD', 'embedding beyond float32', text({ ...line, embedding: [1e39, 0, 0] })),
    () => bad('TOO_DEEP', 'nesting one over the limit', withLiteral(line, NESTED(63, '[', ']'))),
    () =>
      bad(
        'TOO_DEEP',
        'deep nesting',
        withLiteral(
          line,
          rng.pick([NESTED(500, '{"a":', '}'), NESTED(5_000, '{"a":', '}'), NESTED(100_000, '[', ']')]),
        ),
      ),
    () =>
      bad(
        'TOO_DEEP',
        'deep value in place of the prompt',
        text({ ...line, prompt: '@@' }).replace('"@@"', NESTED(rng.int(70, 3000), '[', ']')),
      ),
    () => bad('NUL_CHARACTER', 'NUL in a string or key', inString(rng.pick(['\u0000', 'a\u0000', '\u0000\u0000b']))),
    () =>
      bad('LONE_SURROGATE', 'lone surrogate', inString(rng.pick(['\ud800', '\udc00', 'a\udbff', '\udfffz', '\ud83d']))),
    () =>
      bad(
        'NUMBER_OUT_OF_RANGE',
        'number a double cannot carry',
        withLiteral(
          line,
          rng.pick([
            '1e400',
            '-1e400',
            '1e-400',
            '-2.5e-999',
            `0.${'0'.repeat(400)}1`,
            `1${'0'.repeat(400)}`,
            '9007199254740993',
            '-12345678901234567890',
            `[1, {"y": 1e-330}]`,
          ]),
        ),
      ),
    () =>
      bad(
        'NUMBER_OUT_OF_RANGE',
        'ref_logprob overflows',
        text({ ...line, responses: [{ text: 'a', ref_logprob: '@@' }, ...line.responses.slice(1)] }).replace(
          '"@@"',
          '-1e999',
        ),
      ),
    () =>
      bad(
        'DUPLICATE_ID',
        'duplicate response id',
        text({
          ...line,
          responses: [
            { ...asObject(line.responses[0]), id: 'same' },
            ...line.responses.slice(1, -1),
            { ...asObject(line.responses.at(-1)), id: 'same' },
          ],
        }),
      ),
    () => {
      if (earlierIds.length === 0) return bad('INVALID_JSON', 'truncated', json.slice(0, -1));
      return bad('DUPLICATE_ID', 'prompt id of an earlier line', text({ ...line, id: rng.pick(earlierIds) }));
    },
    () =>
      kind === 'text'
        ? bad('EMBEDDING_MISMATCH', 'embedding in a text campaign', text({ ...line, embedding: [0.1, 0.2, 0.3] }))
        : bad(
            'EMBEDDING_MISMATCH',
            'wrong or missing embedding',
            text(
              rng.pick([
                { ...line, embedding: [1, 2] },
                { ...line, embedding: undefined },
                { ...line, responses: ['plain string', ...line.responses.slice(1)] },
              ]),
            ),
          ),
    () => {
      const [head, tail] = text({ ...line, prompt: 'ab@@cd', messages: undefined }).split('@@');
      return bad(
        'INVALID_UTF8',
        'invalid UTF-8',
        Buffer.concat([Buffer.from(head), Buffer.from(rng.pick(BAD_UTF8)), Buffer.from(tail)]),
      );
    },
    () =>
      bad(
        'LINE_TOO_LONG',
        'over the line limit',
        text({ ...line, prompt: 'x'.repeat(MAX_LINE_BYTES + 10), messages: undefined }),
      ),
  ];
  return rng.pick(variants)();
}
