/** "0.4 s ago", "12 s ago", "3 min ago", "2 h ago". */
export function formatAge(ageMs: number): string {
  const s = Math.max(0, ageMs) / 1000;
  if (s < 10) return `${s.toFixed(1)} s ago`;
  if (s < 60) return `${Math.floor(s)} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

/** A live number with fixed decimals, or "–" when absent / not finite. */
export function formatNumber(n: number | null | undefined, digits = 2): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits);
}
