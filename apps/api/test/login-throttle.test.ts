import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../src/auth/login-throttle';

describe('LoginThrottle', () => {
  it('blocks after maxFailures within the window, and forgets after it', () => {
    const throttle = new LoginThrottle(3, 1_000);
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfterMs('k', 100)).toBe(0);
      throttle.recordFailure('k', 100);
    }
    expect(throttle.retryAfterMs('k', 600)).toBe(500);
    expect(throttle.retryAfterMs('other', 600)).toBe(0);
    expect(throttle.retryAfterMs('k', 1_100)).toBe(0);
  });

  it('starts over after a success', () => {
    const throttle = new LoginThrottle(2, 1_000);
    throttle.recordFailure('k', 0);
    throttle.recordSuccess('k');
    throttle.recordFailure('k', 10);
    expect(throttle.retryAfterMs('k', 20)).toBe(0);
  });
});
