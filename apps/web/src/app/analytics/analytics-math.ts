import type { BusyHours, MetricPoint, MetricsSummary } from '@crowdsafe/web-data-access';

export type RangeKey = '1h' | '6h' | '24h' | '7d' | 'custom';
export const RANGES: { key: RangeKey; label: string; ms: number }[] = [
  { key: '1h', label: '1 h', ms: 3_600_000 },
  { key: '6h', label: '6 h', ms: 6 * 3_600_000 },
  { key: '24h', label: '24 h', ms: 24 * 3_600_000 },
  { key: '7d', label: '7 d', ms: 7 * 24 * 3_600_000 },
];

/** Bucket width so a range has at most ~600 points (the server downsamples to it). */
export function bucketSeconds(rangeMs: number): number {
  return Math.max(1, Math.ceil(rangeMs / 1000 / 600));
}

const vals = (pts: readonly MetricPoint[], f: (p: MetricPoint) => number | null): number[] =>
  pts.map(f).filter((v): v is number => v !== null && Number.isFinite(v));
const mean = (v: number[]): number | null => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : null);

/** Summary computed in the browser from the history points (used when the summary endpoint is unavailable). */
export function summaryFromPoints(pts: readonly MetricPoint[], from: number, to: number, bucketS: number): MetricsSummary {
  const counts = vals(pts, (p) => p.count);
  const dens = pts.filter((p) => p.density !== null);
  const peak = dens.reduce<MetricPoint | null>((best, p) => (best === null || (p.density ?? 0) > (best.density ?? 0) ? p : best), null);
  const span = Math.max(1, (to - from) / 1000);
  const timeAtLevel: Record<string, number> = {};
  for (const p of pts) if (p.riskLevel) timeAtLevel[p.riskLevel] = (timeAtLevel[p.riskLevel] ?? 0) + bucketS;
  return {
    avgCount: mean(counts),
    peakCount: counts.length ? Math.max(...vals(pts, (p) => p.countMax ?? p.count)) : null,
    peakDensity: peak?.density ?? null,
    peakDensityAt: peak?.time ?? null,
    avgRisk: mean(vals(pts, (p) => p.riskScore)),
    uptimePct: Math.min(100, ((pts.length * bucketS) / span) * 100),
    flowIn: vals(pts, (p) => p.flowIn).reduce((a, b) => a + b, 0),
    flowOut: vals(pts, (p) => p.flowOut).reduce((a, b) => a + b, 0),
    timeAtLevel,
  };
}

/** Weekday (0 = Monday) × hour grid of averages from hourly points, in the browser's time zone. */
export function busyHoursFromPoints(pts: readonly MetricPoint[], metric: 'count' | 'density'): BusyHours {
  const sum = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  const n = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  for (const p of pts) {
    const v = metric === 'count' ? p.count : p.density;
    if (v === null || !Number.isFinite(v)) continue;
    const d = new Date(p.time);
    const wd = (d.getDay() + 6) % 7;
    sum[wd][d.getHours()] += v;
    n[wd][d.getHours()]++;
  }
  return { metric, grid: sum.map((row, d) => row.map((s, h) => (n[d][h] ? s / n[d][h] : null))) };
}

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Blue → yellow → red for 0..1 (text stays readable: labels are drawn outside the cells). */
export function heatColor(t: number): string {
  const x = Math.min(1, Math.max(0, t));
  const h = 220 - 220 * x;
  return `hsl(${h} 85% ${45 + 10 * (1 - Math.abs(x - 0.5) * 2)}%)`;
}

export function timeLabel(iso: string, rangeMs: number): string {
  const d = new Date(iso);
  if (rangeMs <= 6 * 3_600_000) return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (rangeMs <= 24 * 3_600_000) return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return d.toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' });
}
