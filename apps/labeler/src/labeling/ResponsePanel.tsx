import { memo } from 'react';
import { Markdown } from '../components/Markdown';

/** One response, named only by its side: nothing hints at the model that wrote it. */
export const ResponsePanel = memo(function ResponsePanel({ side, text }: { side: 'A' | 'B'; text: string }) {
  const titleId = `response-${side}-title`;
  return (
    <section id={`response-${side}`} className={`response response-${side.toLowerCase()}`} aria-labelledby={titleId}>
      <h3 id={titleId}>Response {side}</h3>
      <Markdown text={text} />
    </section>
  );
});
