/** Long model output shown a few lines high until the reader asks for all of it. */
import { useId, useState } from 'react';
import { Markdown } from '../../components/Markdown';

const LONG_CHARS = 500;
const LONG_LINES = 10;

export function ClampedText({ text, label }: { text: string; label: string }) {
  const [expanded, setExpanded] = useState(false);
  const id = useId();
  const long = text.length > LONG_CHARS || text.split('\n').length > LONG_LINES;
  return (
    <div className="clamped">
      <div id={id} className={long && !expanded ? 'clamped-body clamped-collapsed' : 'clamped-body'}>
        <Markdown text={text} />
      </div>
      {long && (
        <button
          type="button"
          className="button button-quiet clamped-toggle"
          aria-expanded={expanded}
          aria-controls={id}
          onClick={() => setExpanded((value) => !value)}
        >
          {expanded ? `Show less of ${label}` : `Show all of ${label}`}
        </button>
      )}
    </div>
  );
}
