/**
 * Parquet containers for the exports (hyparquet-writer: pure JavaScript, no native build). Each
 * batch the line source yields becomes one row group, and the bytes of each row group leave as
 * soon as it is encoded, so the file is streamed like the JSONL is: memory holds one batch plus the
 * footer's per-row-group metadata.
 *
 * The columns are the JSONL line's top-level keys, with fixed types per format (a batch of nulls
 * must not change a column's type): scalars as Parquet scalars; message lists as
 * list<struct<role, content>> (what `datasets` and TRL read as a conversation), OpenAI's `input` as
 * struct<messages: that list>, the raw export's `left`/`right` as structs; the raw export's prompt
 * (whose metadata has no fixed shape) as a JSON-typed UTF-8 column.
 */
import type { ExportFormat } from '@borda/api-contract';

/** The schema element type of the writer's own hyparquet (an ES module: typed through an import type). */
type HyparquetWriter = typeof import('hyparquet-writer', { with: { 'resolution-mode': 'import' } });
type SchemaElement = ConstructorParameters<HyparquetWriter['ParquetWriter']>[0]['schema'][number];

/**
 * Column types of the exports: Parquet scalars, JSON text, and three nested shapes —
 * MESSAGES list<struct<role, content>>, CHAT_INPUT struct<messages: MESSAGES>, RESPONSE
 * struct<id, externalId, text, model>.
 */
export type ParquetColumnType =
  'STRING' | 'DOUBLE' | 'INT32' | 'BOOLEAN' | 'JSON' | 'MESSAGES' | 'CHAT_INPUT' | 'RESPONSE';
export type ParquetColumns = readonly (readonly [name: string, type: ParquetColumnType])[];

const RAW: ParquetColumns = [
  ['labelId', 'STRING'],
  ['comparisonId', 'STRING'],
  ['assignmentId', 'STRING'],
  ['labelerId', 'STRING'],
  ['choice', 'STRING'],
  ['prompt', 'JSON'],
  ['left', 'RESPONSE'],
  ['right', 'RESPONSE'],
  ['firstResponseId', 'STRING'],
  ['secondResponseId', 'STRING'],
  ['outcome', 'DOUBLE'],
  ['strength', 'INT32'],
  ['rationale', 'STRING'],
  ['skipReason', 'STRING'],
  ['timeTakenMs', 'INT32'],
  ['modelVersion', 'INT32'],
  ['strategy', 'STRING'],
  ['score', 'DOUBLE'],
  ['leasedAt', 'STRING'],
  ['comparisonCreatedAt', 'STRING'],
  ['createdAt', 'STRING'],
  ['weight', 'DOUBLE'],
  ['weightSign', 'INT32'],
  ['consensus', 'DOUBLE'],
];

/** The columns of a format's lines under the given options (the same keys, in the same order, as the JSONL). */
export function parquetColumns(format: ExportFormat, options: { margin?: boolean; models?: boolean }): ParquetColumns {
  const extras: ParquetColumns = [
    ...(options.margin ? ([['margin', 'DOUBLE']] as const) : []),
    ...(options.models
      ? ([
          ['chosen_model', 'STRING'],
          ['rejected_model', 'STRING'],
        ] as const)
      : []),
  ];
  switch (format) {
    case 'raw':
      return RAW;
    case 'trl':
      return [['prompt', 'STRING'], ['chosen', 'STRING'], ['rejected', 'STRING'], ...extras];
    case 'trl-conversational':
      return [['prompt', 'MESSAGES'], ['chosen', 'MESSAGES'], ['rejected', 'MESSAGES'], ...extras];
    case 'openai':
      return [
        ['input', 'CHAT_INPUT'],
        ['preferred_output', 'MESSAGES'],
        ['non_preferred_output', 'MESSAGES'],
      ];
    case 'kto':
      return [
        ['prompt', 'STRING'],
        ['completion', 'STRING'],
        ['label', 'BOOLEAN'],
        ...(options.models ? ([['model', 'STRING']] as const) : []),
      ];
    case 'best-of-n':
      return [['messages', 'MESSAGES'], ...(options.models ? ([['model', 'STRING']] as const) : [])];
  }
}

const optional = { repetition_type: 'OPTIONAL' } as const;
const utf8 = (name: string): SchemaElement => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', ...optional });

/** The schema elements of one column (a group and its children in preorder for the nested shapes). */
function columnSchema(name: string, type: ParquetColumnType): SchemaElement[] {
  switch (type) {
    case 'STRING':
      return [utf8(name)];
    case 'JSON':
      return [{ name, type: 'BYTE_ARRAY', converted_type: 'JSON', ...optional }];
    case 'DOUBLE':
    case 'INT32':
    case 'BOOLEAN':
      return [{ name, type, ...optional }];
    case 'MESSAGES':
      // The standard three-level LIST: <name> (LIST) → repeated list → element struct<role, content>.
      return [
        { name, converted_type: 'LIST', num_children: 1, ...optional },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', num_children: 2, ...optional },
        utf8('role'),
        utf8('content'),
      ];
    case 'CHAT_INPUT':
      return [{ name, num_children: 1, ...optional }, ...columnSchema('messages', 'MESSAGES')];
    case 'RESPONSE':
      return [{ name, num_children: 4, ...optional }, utf8('id'), utf8('externalId'), utf8('text'), utf8('model')];
  }
}

export function parquetSchema(columns: ParquetColumns): SchemaElement[] {
  return [{ name: 'root', num_children: columns.length }, ...columns.flatMap(([n, t]) => columnSchema(n, t))];
}

/**
 * Encodes the batches as one Parquet file, yielding bytes as each row group is written (the
 * header with the first, the footer at the end). An empty source still gives a valid file with
 * the schema and no rows.
 */
export async function* parquetStream(
  columns: ParquetColumns,
  batches: AsyncIterable<readonly object[]>,
  kvMetadata: { key: string; value: string }[] = [],
): AsyncGenerator<{ bytes: Uint8Array; rows: number }> {
  // hyparquet-writer is an ES module; the API is compiled to CommonJS, where only import() loads it.
  const { ByteWriter, ParquetWriter } = await import('hyparquet-writer');
  const writer = new ByteWriter();
  const take = (): Uint8Array => {
    const bytes = new Uint8Array(writer.buffer, 0, writer.index).slice();
    writer.index = 0;
    return bytes;
  };
  const parquet = new ParquetWriter({ writer, schema: parquetSchema(columns), kvMetadata, createdBy: 'borda' });
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    const columnData = columns.map(([name]) => ({
      name,
      data: batch.map((row) => {
        const value = (row as Record<string, unknown>)[name];
        return value === undefined ? null : value;
      }),
    }));
    await parquet.write({ columnData, rowGroupSize: batch.length });
    yield { bytes: take(), rows: batch.length };
  }
  await parquet.finish();
  yield { bytes: take(), rows: 0 };
}
