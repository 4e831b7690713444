/**
 * Preloaded into the Prisma CLI by scripts/prisma.mjs. The WebAssembly schema engine arms a 10 s
 * timeout beside every operation and never clears it, so `migrate deploy` would sit idle for 10 s
 * after finishing. Long timers are unref'd: they still fire while real work (an open socket) keeps
 * the process alive, but no longer hold an otherwise finished process open.
 */
const setTimeoutOriginal = global.setTimeout;
global.setTimeout = function setTimeoutUnrefLong(callback, delay, ...args) {
  const timer = setTimeoutOriginal(callback, delay, ...args);
  if (typeof delay === 'number' && delay >= 5000 && typeof timer?.unref === 'function') timer.unref();
  return timer;
};
