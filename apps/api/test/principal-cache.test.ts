import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuthUser } from '../src/auth/decorators';
import { PrincipalCache } from '../src/auth/principal-cache';

const user = (id: string): AuthUser => ({ id, email: `${id}@x`, name: id, role: 'labeler', via: 'jwt' });

describe('PrincipalCache', () => {
  afterEach(() => vi.useRealTimers());

  it('serves an entry until its ttl, then forgets it', () => {
    vi.useFakeTimers();
    const cache = new PrincipalCache(1_000);
    cache.set('t1', user('a'));
    vi.advanceTimersByTime(999);
    expect(cache.get('t1')?.id).toBe('a');
    vi.advanceTimersByTime(2);
    expect(cache.get('t1')).toBeUndefined();
  });

  it('never outlives the credential itself', () => {
    vi.useFakeTimers();
    const cache = new PrincipalCache(10_000);
    cache.set('t1', user('a'), Date.now() + 100);
    vi.advanceTimersByTime(101);
    expect(cache.get('t1')).toBeUndefined();
  });

  it('drops the oldest entry when full and every entry of a user on request', () => {
    const cache = new PrincipalCache(10_000, 2);
    cache.set('t1', user('a'));
    cache.set('t2', user('b'));
    cache.set('t3', user('a'));
    expect(cache.get('t1')).toBeUndefined();
    expect(cache.get('t2')?.id).toBe('b');
    cache.forgetUser('a');
    expect(cache.get('t3')).toBeUndefined();
    expect(cache.get('t2')?.id).toBe('b');
  });
});
