import { useEffect, useEffectEvent } from 'react';
import { resolveShortcut, type ShortcutAction } from './shortcuts';

export type ShortcutHandlers = Partial<Record<ShortcutAction, () => void>>;

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
    if (event.repeat && action === 'submit') return;
    event.preventDefault();
    handler();
  });
  useEffect(() => {
    if (!enabled) return;
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, [enabled]);
}
