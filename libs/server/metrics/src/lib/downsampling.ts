/** Most buckets one range request may return. */
export const MAX_METRIC_POINTS = 10_000;

/** Bucket widths chosen by range: raw seconds up to 1 h, then 10 s, 1 min, 5 min, 1 h (and whole hours beyond). */
export const DOWNSAMPLING_STEPS: readonly { maxSpanS: number; intervalS: number }[] = [
  { maxSpanS: 3_600, intervalS: 1 }, // <= 1 h: raw seconds (<= 3600 points)
  { maxSpanS: 6 * 3_600, intervalS: 10 }, // <= 6 h: 10 s (<= 2160)
  { maxSpanS: 3 * 86_400, intervalS: 60 }, // <= 3 days: 1 min (<= 4320)
  { maxSpanS: 14 * 86_400, intervalS: 300 }, // <= 2 weeks: 5 min (<= 4032)
];

/**
 * The default bucket width of a range of `spanS` seconds (see DOWNSAMPLING_STEPS); past two weeks 1 h, widened in
 * whole hours so a range never yields more than MAX_METRIC_POINTS / 2 buckets (at most 1 day).
 */
export function autoInterval(spanS: number): number {
  if (!Number.isFinite(spanS) || spanS <= 0) return 1;
  for (const s of DOWNSAMPLING_STEPS) if (spanS <= s.maxSpanS) return s.intervalS;
  const hours = Math.ceil(spanS / 3_600 / (MAX_METRIC_POINTS / 2));
  return Math.min(86_400, Math.max(1, hours) * 3_600);
}
