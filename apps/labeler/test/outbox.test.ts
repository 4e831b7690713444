import { afterEach, describe, expect, it } from 'vitest';
import { type OutboxEntry, loadOutbox, outboxPrefix, storeEntry } from '../src/labeling/outbox';

const entry = (key: string, queuedAt: number): OutboxEntry => ({
  key,
  kind: 'submit',
  campaignId: 'c1',
  assignmentId: `a-${key}`,
  body: { choice: 'A', idempotencyKey: key } as OutboxEntry['body'],
  queuedAt,
  attempts: 1,
  state: 'waiting',
  lastError: null,
});

describe('the outbox in localStorage', () => {
  afterEach(() => localStorage.clear());

  it('resumes every readable entry, oldest first and parked, even after a corrupt one', () => {
    storeEntry('u1', entry('k1', 1));
    localStorage.setItem(`${outboxPrefix('u1')}broken`, '{"key": "trunc');
    localStorage.setItem(`${outboxPrefix('u1')}other-shape`, '{"hello": 1}');
    storeEntry('u1', entry('k3', 3));
    storeEntry('u1', entry('k2', 2));
    storeEntry('u2', entry('someone-else', 0));
    const loaded = loadOutbox('u1');
    expect(loaded.map((e) => e.key)).toEqual(['k1', 'k2', 'k3']);
    expect(loaded.every((e) => e.state === 'parked')).toBe(true);
    expect(loaded.unreadable).toBe(2);
    // The unreadable items are left in place, not deleted.
    expect(localStorage.getItem(`${outboxPrefix('u1')}broken`)).toBe('{"key": "trunc');
  });
});
