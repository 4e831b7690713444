/**
 * Every chart in the app: a titled figure whose chart is drawn by recharts and whose numbers are
 * also in a table behind a disclosure, so screen-reader users and people who want exact values get
 * them (the SVG alone says nothing to a screen reader). The canvas is inert: nothing in it takes focus.
 */
import { type ReactElement, useId } from 'react';
import { ResponsiveContainer } from 'recharts';

export interface ChartTableColumn<Row> {
  readonly header: string;
  readonly value: (row: Row) => string | number | null;
}

export interface ChartFigureProps<Row> {
  readonly title: string;
  /** One sentence on what the chart shows and how to read it. */
  readonly description?: string;
  readonly height?: number;
  /** A recharts chart element (LineChart, BarChart, …). */
  readonly children: ReactElement;
  readonly rows: readonly Row[];
  readonly columns: readonly ChartTableColumn<Row>[];
  /** Shown instead of the chart while there are no rows. */
  readonly emptyText?: string;
  /** Shown instead of the chart when there are rows but nothing to draw (the table still lists them). */
  readonly nothingToDraw?: string;
}

export function ChartFigure<Row>({
  title,
  description,
  height = 260,
  children,
  rows,
  columns,
  emptyText = 'No data yet.',
  nothingToDraw,
}: ChartFigureProps<Row>) {
  const titleId = useId();
  const descriptionId = useId();
  return (
    <figure className="chart card" aria-labelledby={titleId} aria-describedby={description ? descriptionId : undefined}>
      <figcaption>
        <h3 id={titleId} className="chart-title">
          {title}
        </h3>
        {description && (
          <p id={descriptionId} className="chart-description muted">
            {description}
          </p>
        )}
      </figcaption>
      {rows.length === 0 ? (
        <p className="chart-empty muted">{emptyText}</p>
      ) : (
        <>
          {nothingToDraw ? (
            <p className="chart-empty muted">{nothingToDraw}</p>
          ) : (
            <div className="chart-canvas" style={{ height }} aria-hidden="true" inert>
              <ResponsiveContainer width="100%" height="100%">
                {children}
              </ResponsiveContainer>
            </div>
          )}
          <details className="chart-data">
            <summary>Data table</summary>
            {/* A wide table scrolls sideways: focusable and named, so keyboard users can scroll it too. */}
            {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable box must be focusable */}
            <div className="table-scroll" role="region" aria-label={`${title}: data`} tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    {columns.map((column) => (
                      <th key={column.header} scope="col">
                        {column.header}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row, index) => (
                    <tr key={index}>
                      {columns.map((column) => (
                        <td key={column.header}>{formatCell(column.value(row))}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </figure>
  );
}

function formatCell(value: string | number | null): string {
  if (value === null) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(3);
  return value;
}
