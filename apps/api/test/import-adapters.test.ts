/**
 * The import adapters as pure functions (no database): detection, the edge cases of each mapping, and
 * that the shared line checks still run on what an adapter produces.
 */
import { describe, expect, it } from 'vitest';
import { ADAPTERS, detectFormat } from '../src/campaigns/import-formats';
import { chatMessage } from '../src/campaigns/import-formats/messages';
import { parseImportLine } from '../src/campaigns/import-line';

const rules = { featureSource: 'text', featureDim: 0 };
const parse = (format: keyof typeof ADAPTERS, row: unknown) =>
  parseImportLine(JSON.stringify(row), 1, rules, ADAPTERS[format]);

describe('format detection', () => {
  it('prefers Borda, finds the one format a row fits, and reports overlaps', () => {
    expect(detectFormat({ id: 'a', prompt: 'p', responses: ['x', 'y'] })).toBe('borda');
    expect(detectFormat({ prompt: 'p', responses: ['x', 'y'] })).toBe('plain');
    expect(detectFormat({ instruction: 'p', completions: [] })).toBe('ultrafeedback');
    expect(detectFormat({ chosen: '\n\nHuman: a\n\nAssistant: b', rejected: '\n\nHuman: a\n\nAssistant: c' })).toBe(
      'hh-rlhf',
    );
    expect(detectFormat({ prompt: 'p', chosen: 'x', rejected: 'y' })).toBe('binarized');
    expect(detectFormat({ input: { messages: [] }, preferred_output: [], non_preferred_output: [] })).toBe(
      'openai-chat',
    );
    // A Borda line whose messages are OpenAI chat messages is not a valid Borda line.
    expect(
      detectFormat({ id: 'a', messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }], responses: [] }),
    ).toBe('openai-chat');
    expect(detectFormat({ prompt: 'p', messages: [], responses: [] })).toEqual({ ambiguous: ['openai-chat', 'plain'] });
    // A Borda line with a defect stays Borda, so it gets the same line errors as before adapters existed.
    expect(detectFormat({ id: 7, messages: [{ role: 'user', content: 'c' }], responses: ['a', 'b'] })).toBe('borda');
    expect(detectFormat({ something: 'else' })).toBe('borda');
  });
});

describe('OpenAI chat messages', () => {
  it('writes content parts, names and tool calls out as text', () => {
    expect(
      chatMessage(
        {
          role: 'user',
          name: 'ana',
          content: [
            { type: 'text', text: 'look' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
            { type: 'input_audio', input_audio: { data: 'x', format: 'wav' } },
            { type: 'file', file: { filename: 'a.pdf' } },
          ],
        },
        'm',
      ),
    ).toEqual({ role: 'user', content: '[name: ana]\n\nlook\n\n[image]\n\n[audio]\n\n[file: a.pdf]' });
    expect(
      chatMessage({ role: 'assistant', content: null, function_call: { name: 'f', arguments: '{}' } }, 'm'),
    ).toEqual({ role: 'assistant', content: '[tool call: f({})]' });
  });

  it('names the field of a message it cannot read', () => {
    expect(chatMessage({ role: 'user', content: 'x', colour: 'red' }, 'messages.0')).toEqual({
      issues: [{ path: 'messages.0.colour', code: 'INVALID_FIELD', message: "unknown message field 'colour'" }],
    });
    expect(chatMessage({ role: 'user', content: [{ type: 'text' }] }, 'messages.1')).toMatchObject({
      issues: [{ path: 'messages.1.content.0' }],
    });
    expect(chatMessage({ role: 'assistant', content: '', tool_calls: [{ id: 'c' }] }, 'm')).toMatchObject({
      issues: [{ path: 'm.tool_calls.0' }],
    });
  });
});

describe('adapters', () => {
  it('UltraFeedback: no judgment when every completion has the same score or none', () => {
    const row = (scores: unknown[]) => ({
      instruction: 'q',
      completions: scores.map((s, i) => ({ model: `m${i}`, response: `r${i}`, overall_score: s })),
    });
    const tied = parse('ultrafeedback', row([5, 5, 5]));
    expect('row' in tied && tied.row.judgments).toEqual([]);
    const missing = parse('ultrafeedback', row([null, 'x']));
    expect('row' in missing && missing.row.judgments).toEqual([]);
    const ranked = parse('ultrafeedback', row([4, 9, 1, 9]));
    expect('row' in ranked && ranked.row.judgments).toEqual([{ chosen: 1, rejected: 2 }]);
    expect('row' in ranked && JSON.parse(ranked.row.responses[1].metadata)).toEqual({ overall_score: 9 });
  });

  it('HH-RLHF: refuses transcripts that are not two answers to one conversation', () => {
    const bad = parse('hh-rlhf', { chosen: 'no turns at all', rejected: '\n\nHuman: a\n\nAssistant: b' });
    expect(bad).toMatchObject({ errors: [{ line: 1, path: 'chosen', code: 'INVALID_FIELD' }] });
    const ending = parse('hh-rlhf', { chosen: '\n\nHuman: a', rejected: '\n\nHuman: a\n\nAssistant: b' });
    expect(ending).toMatchObject({ errors: [{ path: 'chosen' }] });
    // An empty last answer is a response the line schema refuses, with its Borda path.
    const empty = parse('hh-rlhf', { chosen: '\n\nHuman: a\n\nAssistant:', rejected: '\n\nHuman: a\n\nAssistant: b' });
    expect(empty).toMatchObject({ errors: [{ path: 'responses.0', code: 'INVALID_FIELD' }] });
  });

  it('binarized: TRL strings, a conversational prompt, and prompts that disagree', () => {
    const trl = parse('binarized', { prompt: 'p', chosen: 'good', rejected: 'bad' });
    expect(trl).toMatchObject({ row: { text: 'p', judgments: [{ chosen: 0, rejected: 1 }] } });
    const conversational = parse('binarized', {
      prompt: [
        { role: 'system', content: 's' },
        { role: 'user', content: 'u' },
      ],
      chosen: [{ role: 'assistant', content: 'good' }],
      rejected: [{ role: 'assistant', content: 'bad' }],
    });
    expect('row' in conversational && JSON.parse(conversational.row.messages!)).toEqual([
      { role: 'system', content: 's' },
      { role: 'user', content: 'u' },
    ]);
    const split = parse('binarized', {
      prompt: 'p',
      chosen: [
        { role: 'user', content: 'p' },
        { role: 'assistant', content: 'a' },
      ],
      rejected: [
        { role: 'user', content: 'other' },
        { role: 'assistant', content: 'b' },
      ],
    });
    expect(split).toMatchObject({ errors: [{ path: 'rejected', code: 'INVALID_FIELD' }] });
  });

  it('OpenAI chat: rows of the file with a plain prompt are read as Borda lines', () => {
    expect(parse('openai-chat', { id: 'x', prompt: 'p', responses: ['a', 'b'] })).toMatchObject({
      row: { externalId: 'x', text: 'p' },
    });
  });

  it('keeps the content checks on the source row (NUL, lone surrogates, big integers)', () => {
    expect(parse('plain', { prompt: 'p\u0000', responses: ['a', 'b'] })).toMatchObject({
      errors: [{ code: 'NUL_CHARACTER' }],
    });
    const raw = '{"prompt":"p","responses":["a","b"],"n":12345678901234567890}';
    expect(parseImportLine(raw, 1, rules, ADAPTERS.plain)).toMatchObject({ errors: [{ code: 'NUMBER_OUT_OF_RANGE' }] });
    expect(parse('binarized', [1, 2])).toMatchObject({ errors: [{ path: '(line)', code: 'INVALID_FIELD' }] });
  });

  it('derives a stable id from the row, or takes the row’s own', () => {
    const a = parse('plain', { prompt: 'p', responses: ['a', 'b'] });
    const b = parse('plain', { prompt: 'p', responses: ['a', 'b'] });
    expect('row' in a && a.row.externalId).toMatch(/^plain-[0-9a-f]{24}$/);
    expect('row' in a && 'row' in b && a.row.externalId === b.row.externalId).toBe(true);
    const own = parse('binarized', { prompt: 'p', prompt_id: 'abc', chosen: 'x', rejected: 'y' });
    expect('row' in own && own.row.externalId).toBe('abc');
  });
});
