/**
 * The comparison screen's keyboard map, kept apart from the components so the one table drives the
 * key handling, the <kbd> hints on the buttons and the help panel alike.
 */
export type ShortcutAction =
  | 'chooseA'
  | 'chooseB'
  | 'tie'
  | 'bothBad'
  | 'strength1'
  | 'strength2'
  | 'strength3'
  | 'focusRationale'
  | 'submit'
  | 'skip'
  | 'flag'
  | 'toggleGuidelines'
  | 'toggleHelp'
  | 'stillHere'
  | 'undo'
  | 'escape';

export interface Shortcut {
  readonly action: ShortcutAction;
  /** KeyboardEvent.key values (letters in lower case). */
  readonly keys: readonly string[];
  /** How the keys are written on screen. */
  readonly label: readonly string[];
  /** aria-keyshortcuts value for the control that does the same. */
  readonly aria: string;
  readonly description: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'chooseA', keys: ['a', 'ArrowLeft'], label: ['A', '←'], aria: 'A ArrowLeft', description: 'A better' },
  { action: 'chooseB', keys: ['b', 'ArrowRight'], label: ['B', '→'], aria: 'B ArrowRight', description: 'B better' },
  { action: 'tie', keys: ['t'], label: ['T'], aria: 'T', description: 'Tie' },
  { action: 'bothBad', keys: ['x'], label: ['X'], aria: 'X', description: 'Both bad' },
  { action: 'strength1', keys: ['1'], label: ['1'], aria: '1', description: 'Slightly better (A or B only)' },
  { action: 'strength2', keys: ['2'], label: ['2'], aria: '2', description: 'Clearly better (A or B only)' },
  { action: 'strength3', keys: ['3'], label: ['3'], aria: '3', description: 'Much better (A or B only)' },
  {
    action: 'focusRationale',
    keys: ['r'],
    label: ['R'],
    aria: 'R',
    description: 'Write a rationale (Esc leaves the text box, Ctrl+Enter or ⌘+Enter submits from it)',
  },
  {
    action: 'submit',
    keys: ['Enter'],
    label: ['Enter'],
    aria: 'Enter',
    description: 'Submit the judgment once a choice is made, wherever focus is (except in a text box)',
  },
  {
    action: 'skip',
    keys: ['s'],
    label: ['S'],
    aria: 'S',
    description: 'Skip this comparison (Enter confirms, Esc cancels)',
  },
  {
    action: 'flag',
    keys: ['f'],
    label: ['F'],
    aria: 'F',
    description: 'Flag harmful content (a note is optional; the comparison is skipped for you)',
  },
  { action: 'toggleGuidelines', keys: ['g'], label: ['G'], aria: 'G', description: 'Show or hide the guidelines' },
  { action: 'stillHere', keys: ['h'], label: ['H'], aria: 'H', description: "I'm still here: keep my comparison" },
  {
    action: 'undo',
    keys: ['u'],
    label: ['U'],
    aria: 'U',
    description: 'Undo or change your last judgment (while the campaign allows it)',
  },
  { action: 'toggleHelp', keys: ['?'], label: ['?'], aria: 'Shift+?', description: 'Show or hide this list' },
];

const BY_ACTION = new Map(SHORTCUTS.map((s) => [s.action, s]));

export function shortcutOf(action: ShortcutAction): Shortcut {
  const shortcut = BY_ACTION.get(action);
  if (!shortcut) throw new Error(`no shortcut for ${action}`);
  return shortcut;
}

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number', 'date', 'time']);

/** True while the user is typing: letters must reach the field, not trigger actions. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && TEXT_INPUT_TYPES.has(target.type);
}

/** Controls where Enter (and Space) already mean "activate this". */
export function isActivatable(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('button, a[href], input, select, textarea, summary') !== null;
}

/**
 * Where Enter keeps its own meaning even once a choice is made: a link navigates and a button that
 * opens a dialog (Skip) opens it, so a keyboard user who tabbed there gets what the control says.
 */
function enterKeepsItsMeaning(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('a[href], [aria-haspopup="dialog"]') !== null;
}

export interface KeyLike {
  readonly key: string;
  readonly target: EventTarget | null;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
}

/**
 * The action a key press asks for on the comparison screen, or null when it is not a shortcut here:
 * while typing, inside a modal dialog (which handles its own keys), or with Ctrl/Cmd/Alt held
 * (those belong to the browser).
 */
export function resolveShortcut(event: KeyLike): ShortcutAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const target = event.target;
  if (target instanceof HTMLElement && target.closest('[aria-modal="true"]')) return null;
  if (event.key === 'Escape') return isTypingTarget(target) ? null : 'escape';
  if (isTypingTarget(target)) return null;
  // On any other button Enter is still a submit: the handler decides (it presses the button while no
  // choice is made, so Tab + Enter still picks "A better"; once a choice is made, Enter submits).
  if (event.key === 'Enter') return enterKeepsItsMeaning(target) ? null : 'submit';
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  for (const shortcut of SHORTCUTS) if (shortcut.keys.includes(key)) return shortcut.action;
  return null;
}
