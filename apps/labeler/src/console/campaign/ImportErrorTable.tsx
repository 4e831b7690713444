/**
 * The problems of a JSONL file, one row per problem, ordered as the server found them: line number,
 * the field inside the line, what is wrong, and the start of that line as it is in the file.
 */
import type { ImportLineError } from '@borda/api-contract';
import { useState } from 'react';
import { formatCount } from '../../components/format';
import { ScrollRegion } from './ScrollRegion';

/** Rows shown before "Show all" (the server lists up to 1,000). */
export const ERROR_ROWS_SHOWN = 50;

export interface ImportErrorTableProps {
  readonly errors: readonly ImportLineError[];
  /** Every problem the server found (it lists only the first ones). */
  readonly errorCount: number;
  /** Line number → the start of the line; missing while the file is still being read. */
  readonly excerpts: ReadonlyMap<number, string>;
}

export function ImportErrorTable({ errors, errorCount, excerpts }: ImportErrorTableProps) {
  const [showAll, setShowAll] = useState(false);
  const rows = showAll ? errors : errors.slice(0, ERROR_ROWS_SHOWN);
  const unlisted = Math.max(0, errorCount - errors.length);
  return (
    <div className="import-errors">
      <ScrollRegion label="Problems by line, scrollable">
        <table>
          <caption>Problems by line</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Field</th>
              <th scope="col">Problem</th>
              <th scope="col">Line content</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((error, index) => (
              <tr key={`${error.line}-${error.path}-${index}`}>
                <td className="numeric">{error.line}</td>
                <td>
                  <code>{error.path}</code>
                </td>
                <td>{error.message}</td>
                <td>
                  <LineExcerpt text={excerpts.get(error.line)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {errors.length > rows.length && (
        <button type="button" className="button" onClick={() => setShowAll(true)}>
          Show all {formatCount(errors.length)} listed problems
        </button>
      )}
      {unlisted > 0 && (
        <p className="muted">
          {formatCount(errorCount)} problems in all; the server lists the first {formatCount(errors.length)}. Fix these
          and check the file again to see the rest.
        </p>
      )}
    </div>
  );
}

function LineExcerpt({ text }: { text: string | undefined }) {
  if (text === undefined) return <span className="muted">…</span>;
  if (text === '') return <span className="muted">(blank line)</span>;
  return <code className="line-excerpt">{text}</code>;
}
