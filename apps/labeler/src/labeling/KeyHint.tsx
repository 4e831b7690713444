import { shortcutOf, type ShortcutAction } from './shortcuts';

/**
 * The keys of an action as <kbd>s. Hidden from assistive technology: the control carries the same
 * information in aria-keyshortcuts, and its accessible name stays just its label ("A better").
 */
export function KeyHint({ action }: { action: ShortcutAction }) {
  const keys = shortcutOf(action).label;
  return (
    <span className="key-hint" aria-hidden="true">
      {keys.map((key) => (
        <kbd key={key}>{key}</kbd>
      ))}
    </span>
  );
}
