/**
 * A ranking task (ranking campaigns, issue 14 item 3): the prompt and its k responses as a list the
 * labeler puts in order, best first. Keys: a number selects that row, ↑/↓ or K/J move the selected
 * response up or down, Enter submits. Pointer: drag a row by its handle (touch too); each row also
 * has Move up / Move down buttons, so a phone or a screen reader never needs the drag. The list is
 * an ordered list (its items hold buttons, so not a listbox); the selected item is aria-current,
 * and every selection and move is announced. Mounted afresh (keyed by assignment) for each task.
 */
import { type KeyboardEvent as ReactKeyboardEvent, type PointerEvent, useEffect, useRef, useState } from 'react';
import type { HeldLease } from './labelingSession';
import { PromptThread } from './PromptThread';
import './ranking.css';

export interface RankingScreenProps {
  readonly lease: HeldLease;
  /** The response ids, best first. */
  onRank(order: readonly string[]): void;
}

function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
}

/** Keys typed into a field or with a modifier are not ranking keys. */
function ignored(event: KeyboardEvent | ReactKeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  const typing = target?.closest?.('input, textarea, select, [contenteditable="true"], [role="dialog"]');
  return Boolean(typing) || event.altKey || event.ctrlKey || event.metaKey;
}

export function RankingScreen({ lease, onRank }: RankingScreenProps) {
  const responses = lease.ranking ?? [];
  const [order, setOrder] = useState(() => responses.map((r) => r.id));
  const [selected, setSelected] = useState(0);
  const [message, setMessage] = useState('');
  const [dragging, setDragging] = useState<number | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const textOf = new Map(responses.map((r, i) => [r.id, { text: r.text, label: `Response ${i + 1}` }]));

  useEffect(() => headingRef.current?.focus(), []);

  const move = (from: number, to: number) => {
    if (to < 0 || to >= order.length || from === to) return;
    setOrder((o) => moved(o, from, to));
    setSelected(to);
    setMessage(`${textOf.get(order[from])?.label} moved to place ${to + 1} of ${order.length}.`);
  };
  const submit = () => onRank(order);

  // Document-wide like the comparison keys, so they work wherever focus is on the page.
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      if (ignored(event)) return;
      const key = event.key;
      if (/^[1-9]$/.test(key) && Number(key) <= order.length) {
        setSelected(Number(key) - 1);
        setMessage(`Place ${key} selected: ${textOf.get(order[Number(key) - 1])?.label}.`);
      } else if (key === 'ArrowUp' || key === 'k' || key === 'K') move(selected, selected - 1);
      else if (key === 'ArrowDown' || key === 'j' || key === 'J') move(selected, selected + 1);
      else if (key === 'Enter' && !(event.target instanceof HTMLButtonElement)) submit();
      else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  });

  const rowAt = (event: PointerEvent) => {
    const row = document.elementFromPoint(event.clientX, event.clientY)?.closest<HTMLElement>('[data-rank-index]');
    return row ? Number(row.dataset.rankIndex) : null;
  };
  const onPointerMove = (event: PointerEvent) => {
    if (dragging === null) return;
    const to = rowAt(event);
    if (to !== null && to !== dragging) {
      move(dragging, to);
      setDragging(to);
    }
  };

  return (
    <section className="comparison ranking" aria-labelledby="ranking-title" data-assignment-id={lease.id}>
      <h2 id="ranking-title" tabIndex={-1} ref={headingRef}>
        Rank the responses, best first
      </h2>
      <PromptThread prompt={lease.prompt} />
      <p className="ranking-help" id="ranking-help">
        Select a place with its number, move it with ↑/↓ (or K/J), drag by the handle, then press Enter to submit.
      </p>
      <ol
        className="ranking-list"
        aria-label="Your ranking, best first"
        aria-describedby="ranking-help"
        onPointerMove={onPointerMove}
        onPointerUp={() => setDragging(null)}
        onPointerCancel={() => setDragging(null)}
      >
        {order.map((id, index) => {
          const item = textOf.get(id);
          return (
            <li
              key={id}
              aria-current={index === selected ? 'true' : undefined}
              data-rank-index={index}
              data-response-id={id}
              className={`ranking-item${index === selected ? ' selected' : ''}${index === dragging ? ' dragging' : ''}`}
              onPointerDown={() => setSelected(index)}
            >
              <span
                className="ranking-handle"
                aria-hidden="true"
                onPointerDown={(event) => {
                  event.preventDefault();
                  (event.currentTarget as HTMLElement).releasePointerCapture?.(event.pointerId);
                  setSelected(index);
                  setDragging(index);
                }}
              >
                ⠿
              </span>
              <span className="ranking-place">{index + 1}</span>
              <div className="ranking-body">
                <p className="ranking-label">{item?.label}</p>
                <div className="ranking-text">{item?.text}</div>
              </div>
              <span className="ranking-moves">
                <button
                  type="button"
                  className="button button-quiet"
                  aria-label={`Move ${item?.label} up`}
                  disabled={index === 0}
                  onClick={(event) => {
                    event.stopPropagation();
                    move(index, index - 1);
                  }}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="button button-quiet"
                  aria-label={`Move ${item?.label} down`}
                  disabled={index === order.length - 1}
                  onClick={(event) => {
                    event.stopPropagation();
                    move(index, index + 1);
                  }}
                >
                  ↓
                </button>
              </span>
            </li>
          );
        })}
      </ol>
      <p role="status" aria-live="polite" className="visually-hidden">
        {message}
      </p>
      <div className="ranking-actions">
        <button type="button" className="button button-primary" aria-keyshortcuts="Enter" onClick={submit}>
          Submit ranking <kbd>Enter</kbd>
        </button>
      </div>
    </section>
  );
}
