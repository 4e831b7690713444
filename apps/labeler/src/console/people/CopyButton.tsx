/**
 * Copies a text to the clipboard and says so in a live region. Where the browser refuses (no
 * clipboard API outside HTTPS, or permission denied) it says how to copy by hand instead.
 */
import { useState } from 'react';

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [attempt, setAttempt] = useState<{ text: string; outcome: 'copied' | 'failed' } | null>(null);
  // A new text (another generated password) makes the old "Copied" untrue.
  const outcome = attempt?.text === text ? attempt.outcome : null;

  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setAttempt({ text, outcome: 'copied' });
    } catch {
      setAttempt({ text, outcome: 'failed' });
    }
  }

  return (
    <>
      <button type="button" className="button" onClick={copy} disabled={text === ''}>
        {label}
      </button>
      <span role="status" className={outcome === 'failed' ? 'copy-status field-error' : 'copy-status muted'}>
        {outcome === 'copied' && 'Copied.'}
        {outcome === 'failed' && 'Could not copy: select the text and copy it by hand.'}
      </span>
    </>
  );
}
