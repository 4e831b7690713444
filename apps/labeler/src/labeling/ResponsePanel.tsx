import { memo, type Ref, type UIEvent } from 'react';
import { Markdown } from '../components/Markdown';
import { DiffText } from './DiffText';
import type { DiffRun } from './wordDiff';

export interface ResponsePanelProps {
  readonly side: 'A' | 'B';
  readonly text: string;
  /** When given, the text is shown plain with the words the other side lacks marked. */
  readonly diff?: readonly DiffRun[] | null;
  /** Synced scrolling: the panel scrolls on its own (from 900px) and must then be reachable by keyboard. */
  readonly scrolls?: boolean;
  readonly panelRef?: Ref<HTMLElement>;
  onScroll?(event: UIEvent<HTMLElement>): void;
}

/** One response, named only by its side: nothing hints at the model that wrote it. */
export const ResponsePanel = memo(function ResponsePanel({
  side,
  text,
  diff,
  scrolls,
  panelRef,
  onScroll,
}: ResponsePanelProps) {
  const titleId = `response-${side}-title`;
  return (
    <section
      id={`response-${side}`}
      ref={panelRef}
      className={`response response-${side.toLowerCase()}`}
      aria-labelledby={titleId}
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable box must be focusable
      tabIndex={scrolls ? 0 : undefined}
      onScroll={onScroll}
    >
      <h3 id={titleId}>Response {side}</h3>
      {diff ? <DiffText side={side} runs={diff} /> : <Markdown text={text} />}
    </section>
  );
});
