/** Capped exponential backoff: `base·2^(attempt−1)`, at most `cap` (attempt counts from 1). */
export function backoffMs(attempt: number, baseMs: number, capMs: number): number {
  if (attempt <= 0) return 0;
  // 2^31 already exceeds any sensible cap; stop doubling there to stay finite.
  return Math.min(capMs, baseMs * 2 ** Math.min(attempt - 1, 31));
}
