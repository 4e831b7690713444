/**
 * What each external-format fixture (fixtures/imports, following each dataset's published schema)
 * must become: its preferences as the TRL and OpenAI exports show them, and the prompts and
 * responses it stores. Read straight from the fixture files, independently of the adapters; shared
 * by the API, CLI and Python client tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'imports');
export const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));
const rowsOf = (name: string): any[] =>
  fixture(`${name}.jsonl`)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

export interface Message {
  role: string;
  content: string;
}

/** A preference as the exports show it: the prompt as messages, chosen and rejected texts. */
export interface Preference {
  prompt: Message[];
  chosen: string;
  rejected: string;
}

export const key = (p: Preference) => JSON.stringify([p.prompt.map((m) => [m.role, m.content]), p.chosen, p.rejected]);
export const user = (content: string): Message[] => [{ role: 'user', content }];

/** HH-RLHF transcripts split back into turns, independently of the adapter. */
function transcript(text: string): Message[] {
  return text
    .split(/\n\n(?=Human:|Assistant:)/)
    .filter((t) => t !== '')
    .map((t) => {
      const [speaker, ...rest] = t.split(': ');
      return { role: speaker === 'Human' ? 'user' : 'assistant', content: rest.join(': ') };
    });
}

/** What each fixture's preferences are, read straight from its published schema. */
export const EXPECTED: Record<string, () => Preference[]> = {
  ultrafeedback: () =>
    rowsOf('ultrafeedback').flatMap((row) => {
      const scores = row.completions.map((c: any) => c.overall_score as number);
      const best = scores.indexOf(Math.max(...scores));
      const worst = scores.indexOf(Math.min(...scores));
      if (scores[best] === scores[worst]) return [];
      return [
        {
          prompt: user(row.instruction),
          chosen: row.completions[best].response,
          rejected: row.completions[worst].response,
        },
      ];
    }),
  'hh-rlhf': () =>
    rowsOf('hh-rlhf').map((row) => {
      const chosen = transcript(row.chosen);
      const rejected = transcript(row.rejected);
      return { prompt: chosen.slice(0, -1), chosen: chosen.at(-1)!.content, rejected: rejected.at(-1)!.content };
    }),
  binarized: () =>
    rowsOf('binarized').map((row) => ({
      prompt: user(row.prompt),
      chosen: row.chosen.at(-1).content,
      rejected: row.rejected.at(-1).content,
    })),
  'openai-chat': () => [
    {
      prompt: [
        { role: 'system', content: 'You are a concise assistant.' },
        { role: 'user', content: 'What is in this picture?\n\n[image: https://example.com/cat.png]' },
      ],
      chosen: 'A cat asleep on a windowsill.',
      rejected: 'I cannot see pictures.',
    },
    {
      prompt: [
        { role: 'user', content: "[name: dana]\n\nWhat's the weather in Oslo?" },
        { role: 'assistant', content: '[tool call call_1: get_weather({"city":"Oslo"})]' },
        { role: 'tool', content: '[tool result for call_1]\n\n{"temp_c":4,"sky":"rain"}' },
      ],
      chosen: 'It is 4 °C and raining in Oslo.',
      rejected: 'It is sunny everywhere today.',
    },
    {
      prompt: [
        { role: 'developer', content: 'Answer in one word.' },
        { role: 'user', content: 'Capital of Italy?' },
      ],
      chosen: 'Rome',
      rejected: 'Milan',
    },
  ],
  plain: () => [],
};

/** The prompts and responses (with models) each fixture must store, in file order. */
export const STORED: Record<string, () => { prompt: Message[]; responses: [string, string | null][] }[]> = {
  ultrafeedback: () =>
    rowsOf('ultrafeedback').map((row) => ({
      prompt: user(row.instruction),
      responses: row.completions.map((c: any) => [c.response, c.model]),
    })),
  'hh-rlhf': () =>
    EXPECTED['hh-rlhf']().map((p) => ({
      prompt: p.prompt,
      responses: [
        [p.chosen, null],
        [p.rejected, null],
      ],
    })),
  binarized: () =>
    EXPECTED.binarized().map((p) => ({
      prompt: p.prompt,
      responses: [
        [p.chosen, null],
        [p.rejected, null],
      ],
    })),
  'openai-chat': () =>
    EXPECTED['openai-chat']().map((p) => ({
      prompt: p.prompt,
      responses: [
        [p.chosen, null],
        [p.rejected, null],
      ],
    })),
  plain: () =>
    rowsOf('plain').map((row) => ({
      prompt: user(row.prompt),
      responses: row.responses.map((r: any) => (typeof r === 'string' ? [r, null] : [r.text, r.model ?? null])),
    })),
};

/** The TRL conversational and OpenAI export lines, read back as preferences. */
export const fromTrlConversational = (l: any): Preference => ({
  prompt: l.prompt,
  chosen: l.chosen[0].content,
  rejected: l.rejected[0].content,
});
export const fromOpenai = (l: any): Preference => ({
  prompt: l.input.messages,
  chosen: l.preferred_output[0].content,
  rejected: l.non_preferred_output[0].content,
});
