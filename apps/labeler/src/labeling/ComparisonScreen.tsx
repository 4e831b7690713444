/**
 * One comparison: the prompt, Response A (left) and Response B (right) in the order the API gave,
 * and the judgment controls. Mounted afresh (keyed by assignment) for each comparison, so the
 * draft starts empty and focus lands on the heading, where every shortcut works.
 */
import { type Aspect, type AspectAnswers, aspectAnswersProblem, type LabelChoice } from '@borda/api-contract';
import { AspectQuestions, completeAnswers } from './AspectQuestions';
import { type TouchEvent, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { FlagDialog } from './FlagDialog';
import { draftReducer, EMPTY_DRAFT, type Strength, toJudgment } from './judgment';
import { JudgmentControls } from './JudgmentControls';
import { loadDraft, saveDraft } from './onScreen';
import type { HeldLease, Judgment } from './labelingSession';
import { PromptThread } from './PromptThread';
import { readPref, writePref } from './readingPrefs';
import { ReadingToggles } from './ReadingToggles';
import { ResponsePanel } from './ResponsePanel';
import { isActivatable } from './shortcuts';
import { SkipDialog } from './SkipDialog';
import { useShortcuts } from './useShortcuts';
import { useSyncedScroll } from './useSyncedScroll';
import { wordDiff } from './wordDiff';

export interface ComparisonScreenProps {
  readonly lease: HeldLease;
  onSubmit(judgment: Judgment): void;
  onSkip(reason: string): void;
  onFlag(note: string): void;
  /** The campaign's extra questions (none: the screen is as without aspects). */
  readonly aspects?: readonly Aspect[];
}

/** A horizontal swipe at least this long (px), and mostly sideways, switches the response shown on a narrow screen. */
const SWIPE = 60;

const CHOOSE_FIRST = 'Choose which response is better first: A better (A), B better (B), Tie (T) or Both bad (X).';

export function ComparisonScreen({ lease, onSubmit, onSkip, onFlag, aspects = [] }: ComparisonScreenProps) {
  // The selection survives a reload of the page (the comparison comes back too: labelingSession.resume).
  const [draft, dispatch] = useReducer(draftReducer, lease.id, (id) => loadDraft(id) ?? EMPTY_DRAFT);
  const [skipOpen, setSkipOpen] = useState(false);
  const [flagOpen, setFlagOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [answers, setAnswers] = useState<AspectAnswers>({});
  const headingRef = useRef<HTMLHeadingElement>(null);
  const rationaleRef = useRef<HTMLTextAreaElement>(null);
  const submitRef = useRef<HTMLButtonElement>(null);
  const skipRef = useRef<HTMLButtonElement>(null);
  const focusBeforeSkip = useRef<HTMLElement | null>(null);
  // Narrow screens show one response at a time (CSS); this is the one, switched by the buttons or a swipe.
  const [shown, setShown] = useState<'A' | 'B'>('A');
  const touchStart = useRef<{ x: number; y: number } | null>(null);
  const [syncScroll, setSyncScroll] = useState(() => readPref('syncScroll'));
  const [showDiff, setShowDiff] = useState(() => readPref('wordDiff'));
  const synced = useSyncedScroll(syncScroll);
  // Only computed while asked for, so the default path between judgments does no extra work.
  const diff = useMemo(
    () => (showDiff ? wordDiff(lease.left.text, lease.right.text) : null),
    [showDiff, lease.left.text, lease.right.text],
  );

  function onTouchStart(event: TouchEvent) {
    const touch = event.touches[0];
    touchStart.current = touch ? { x: touch.clientX, y: touch.clientY } : null;
  }

  function onTouchEnd(event: TouchEvent) {
    const start = touchStart.current;
    const touch = event.changedTouches[0];
    touchStart.current = null;
    if (!start || !touch) return;
    const dx = touch.clientX - start.x;
    const dy = touch.clientY - start.y;
    if (Math.abs(dx) >= SWIPE && Math.abs(dx) > 2 * Math.abs(dy)) setShown(dx < 0 ? 'B' : 'A');
  }

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  useEffect(() => {
    saveDraft(lease.id, draft === EMPTY_DRAFT ? null : draft);
  }, [lease.id, draft]);

  function choose(choice: LabelChoice) {
    dispatch({ type: 'choose', choice });
    setProblem(null);
  }

  function strength(value: Strength) {
    dispatch({ type: 'strength', strength: value });
  }

  function submit() {
    const judgment = toJudgment(draft);
    if (!judgment) return setProblem(CHOOSE_FIRST);
    if (aspects.length === 0) return onSubmit(judgment);
    const given = completeAnswers(aspects, answers);
    const missing = aspectAnswersProblem(aspects, given);
    if (missing) setProblem(missing.message.replace(/^aspect \S+ \((.*)\) is required$/, 'Answer “$1” first.'));
    else onSubmit({ ...judgment, aspects: given });
  }

  function openSkip() {
    focusBeforeSkip.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setSkipOpen(true);
  }

  function openFlag() {
    focusBeforeSkip.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setFlagOpen(true);
  }

  function cancelSkip() {
    setSkipOpen(false);
    setFlagOpen(false);
    (focusBeforeSkip.current?.isConnected ? focusBeforeSkip.current : skipRef.current)?.focus();
  }

  useShortcuts(
    {
      chooseA: () => choose('A'),
      chooseB: () => choose('B'),
      tie: () => choose('tie'),
      bothBad: () => choose('both_bad'),
      strength1: () => strength(1),
      strength2: () => strength(2),
      strength3: () => strength(3),
      focusRationale: () => rationaleRef.current?.focus(),
      submit: (event) => {
        // Before a choice, Enter on a focused button presses it (keyboard users pick a side that way);
        // after one, Enter submits even from the button a mouse click left focused.
        if (!draft.choice && isActivatable(event.target)) return false;
        submit();
      },
      skip: openSkip,
      flag: openFlag,
    },
    !skipOpen && !flagOpen,
  );

  return (
    <section className="comparison" aria-labelledby="comparison-title" data-assignment-id={lease.id}>
      <h2 id="comparison-title" ref={headingRef} tabIndex={-1} className="comparison-title">
        Comparison
      </h2>
      <PromptThread prompt={lease.prompt} />
      <div className="response-switch" role="group" aria-label="Response shown">
        {(['A', 'B'] as const).map((side) => (
          <button
            key={side}
            type="button"
            className="button"
            aria-pressed={shown === side}
            aria-controls={`response-${side}`}
            onClick={() => setShown(side)}
          >
            Response {side}
          </button>
        ))}
      </div>
      <ReadingToggles
        syncScroll={syncScroll}
        wordDiff={showDiff}
        diffTooLong={showDiff && !diff}
        onSyncScroll={(on) => {
          setSyncScroll(on);
          writePref('syncScroll', on);
        }}
        onWordDiff={(on) => {
          setShowDiff(on);
          writePref('wordDiff', on);
        }}
      />
      <div
        className={syncScroll ? 'responses responses-synced' : 'responses'}
        data-shown={shown}
        onTouchStart={onTouchStart}
        onTouchEnd={onTouchEnd}
      >
        <ResponsePanel
          side="A"
          text={lease.left.text}
          diff={diff?.a}
          scrolls={syncScroll}
          panelRef={synced.refA}
          onScroll={syncScroll ? synced.onScrollA : undefined}
        />
        <ResponsePanel
          side="B"
          text={lease.right.text}
          diff={diff?.b}
          scrolls={syncScroll}
          panelRef={synced.refB}
          onScroll={syncScroll ? synced.onScrollB : undefined}
        />
      </div>
      <JudgmentControls
        draft={draft}
        problem={problem}
        rationaleRef={rationaleRef}
        submitRef={submitRef}
        skipRef={skipRef}
        onChoose={choose}
        onStrength={strength}
        onRationale={(text) => dispatch({ type: 'rationale', text })}
        onSubmit={submit}
        onSkip={openSkip}
        onFlag={openFlag}
        extra={
          aspects.length > 0 ? (
            <AspectQuestions
              aspects={aspects}
              answers={answers}
              onChange={(key, answer) => {
                setAnswers((current) => ({ ...current, [key]: answer }) as AspectAnswers);
                setProblem(null);
              }}
            />
          ) : undefined
        }
      />
      {skipOpen && <SkipDialog onConfirm={onSkip} onCancel={cancelSkip} />}
      {flagOpen && <FlagDialog onConfirm={onFlag} onCancel={cancelSkip} />}
    </section>
  );
}
