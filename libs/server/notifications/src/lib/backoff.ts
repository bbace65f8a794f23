/**
 * Delay before the next attempt after `attemptsMade` failed attempts (1 after the first failure):
 * base, 2·base, 4·base, ... capped at `maxMs`. Used by the BullMQ custom backoff strategy and the in-process
 * queue alike.
 */
export function backoffDelay(attemptsMade: number, baseMs: number, maxMs: number): number {
  if (!Number.isFinite(attemptsMade) || attemptsMade < 1) return 0;
  const exp = Math.min(attemptsMade - 1, 30);
  return Math.min(baseMs * 2 ** exp, maxMs);
}
