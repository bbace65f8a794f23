import type { LiveRisk } from '@crowdsafe/contracts';

/** Time to CRITICAL shown on tiles and the sidebar (`metrics_update.risk.earlyWarningInS`). */
export interface TimeToCritical {
  inS: number;
  /** "CRITICAL in ~45 s", "CRITICAL in ~1 min 30 s". */
  text: string;
  /** imminent: under 30 s (the early_warning alert's default lead). */
  severity: 'imminent' | 'soon';
}

/** Null when there is no warning, or the camera is CRITICAL already. */
export function timeToCritical(risk: LiveRisk | null | undefined): TimeToCritical | null {
  const s = risk?.earlyWarningInS;
  if (typeof s !== 'number' || !Number.isFinite(s) || s < 0 || risk?.level === 'CRITICAL') return null;
  return { inS: s, text: `CRITICAL in ~${formatDuration(s)}`, severity: s < 30 ? 'imminent' : 'soon' };
}

/** "8 s", "45 s", "1 min 30 s", "2 min". */
export function formatDuration(s: number): string {
  const r = Math.max(0, Math.round(s));
  if (r < 60) return `${r} s`;
  const m = Math.floor(r / 60);
  const rest = r % 60;
  return rest ? `${m} min ${rest} s` : `${m} min`;
}

/** A point of the forecast band: mean and 95 % interval, people/m². */
export interface ForecastPoint {
  /** Epoch ms. */
  t: number;
  v: number;
  lo: number;
  hi: number;
}

/**
 * The density forecast as a band from the last measured second (`nowMs`, density `current`) to 2 and 5 minutes
 * ahead; without an interval in the event (older servers) the band collapses to the mean. Empty without a forecast.
 */
export function forecastBand(risk: LiveRisk | null | undefined, nowMs: number, current: number | null | undefined): ForecastPoint[] {
  const f = risk?.forecast;
  if (!f || !Number.isFinite(nowMs) || !Number.isFinite(f.in120s) || !Number.isFinite(f.in300s)) return [];
  const band = (v: number, iv: [number, number] | undefined): [number, number] =>
    iv && Number.isFinite(iv[0]) && Number.isFinite(iv[1]) ? [Math.min(iv[0], v), Math.max(iv[1], v)] : [v, v];
  const [lo2, hi2] = band(f.in120s, f.interval120s);
  const [lo5, hi5] = band(f.in300s, f.interval300s);
  const start: ForecastPoint[] = typeof current === 'number' && Number.isFinite(current) ? [{ t: nowMs, v: current, lo: current, hi: current }] : [];
  return [...start, { t: nowMs + 120_000, v: f.in120s, lo: lo2, hi: hi2 }, { t: nowMs + 300_000, v: f.in300s, lo: lo5, hi: hi5 }];
}

/** "2 min 1.80 (1.50–2.10) · 5 min 2.40 (1.70–3.10) p/m²". */
export function forecastText(points: readonly ForecastPoint[]): string | null {
  const ahead = points.filter((p, i) => i > 0 || points.length === 2);
  if (ahead.length < 2) return null;
  const f = (p: ForecastPoint, label: string) => `${label} ${p.v.toFixed(2)}${p.hi > p.lo ? ` (${p.lo.toFixed(2)}–${p.hi.toFixed(2)})` : ''}`;
  const [a, b] = ahead.slice(-2);
  return `${f(a, '2 min')} · ${f(b, '5 min')} p/m²`;
}
