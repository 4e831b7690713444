/**
 * Parquet containers for the exports (hyparquet-writer: pure JavaScript, no native build). Each
 * batch the line source yields becomes one row group, and the bytes of each row group leave as
 * soon as it is encoded, so the file is streamed like the JSONL is: memory holds one batch plus the
 * footer's per-row-group metadata.
 *
 * The columns are the JSONL line's top-level keys, with fixed types per format (a batch of nulls
 * must not change a column's type): scalars as Parquet scalars, nested values (prompt objects,
 * message lists) as JSON-typed UTF-8 columns, which readers (hyparquet, pyarrow, pandas) decode as
 * JSON text or objects.
 */
import type { ExportFormat } from '@borda/api-contract';

/** hyparquet-writer's column types that the exports use. */
export type ParquetColumnType = 'STRING' | 'DOUBLE' | 'INT32' | 'BOOLEAN' | 'JSON';
export type ParquetColumns = readonly (readonly [name: string, type: ParquetColumnType])[];

const RAW: ParquetColumns = [
  ['labelId', 'STRING'],
  ['comparisonId', 'STRING'],
  ['assignmentId', 'STRING'],
  ['labelerId', 'STRING'],
  ['choice', 'STRING'],
  ['prompt', 'JSON'],
  ['left', 'JSON'],
  ['right', 'JSON'],
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
      return [['prompt', 'JSON'], ['chosen', 'JSON'], ['rejected', 'JSON'], ...extras];
    case 'openai':
      return [
        ['input', 'JSON'],
        ['preferred_output', 'JSON'],
        ['non_preferred_output', 'JSON'],
      ];
    case 'kto':
      return [
        ['prompt', 'STRING'],
        ['completion', 'STRING'],
        ['label', 'BOOLEAN'],
        ...(options.models ? ([['model', 'STRING']] as const) : []),
      ];
    case 'best-of-n':
      return [['messages', 'JSON'], ...(options.models ? ([['model', 'STRING']] as const) : [])];
  }
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
  const { ByteWriter, ParquetWriter, schemaFromColumnData } = await import('hyparquet-writer');
  const writer = new ByteWriter();
  const take = (): Uint8Array => {
    const bytes = new Uint8Array(writer.buffer, 0, writer.index).slice();
    writer.index = 0;
    return bytes;
  };
  const schema = schemaFromColumnData({
    columnData: columns.map(([name, type]) => ({ name, type, data: [], nullable: true })),
  });
  const parquet = new ParquetWriter({ writer, schema, kvMetadata, createdBy: 'borda' });
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    const columnData = columns.map(([name, type]) => ({
      name,
      type,
      nullable: true,
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
