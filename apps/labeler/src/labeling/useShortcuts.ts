import { useEffect, useEffectEvent } from 'react';
import { resolveShortcut, type ShortcutAction } from './shortcuts';

/** A handler that returns false declines the key: it is not consumed and keeps its default action. */
export type ShortcutHandlers = Partial<Record<ShortcutAction, (event: KeyboardEvent) => void | boolean>>;

/**
 * Calls the handler of each shortcut pressed anywhere on the page (see resolveShortcut for when a
 * key is not a shortcut). Only actions this caller handles are consumed, so several components can
 * each listen for their own.
 */
export function useShortcuts(handlers: ShortcutHandlers, enabled = true): void {
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (event.defaultPrevented) return;
    const action = resolveShortcut(event);
    const handler = action ? handlers[action] : undefined;
    if (!handler) return;
    // Holding Enter must not send one judgment per auto-repeat.
    if (event.repeat && action === 'submit') {
      event.preventDefault();
      return;
    }
    if (handler(event) === false) return;
    // Also stops the browser from pressing the focused button (Enter's default action).
    event.preventDefault();
  });
  useEffect(() => {
    if (!enabled) return;
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, [enabled]);
}
