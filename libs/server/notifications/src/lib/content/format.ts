import type { RiskLevel } from '@crowdsafe/contracts';
import type { AlertPayload } from '../delivery.types';

/** Console colours of the risk levels (Bootstrap success / warning / orange / danger). */
export const LEVEL_COLOURS: Record<RiskLevel, string> = {
  SAFE: '#198754',
  CAUTION: '#ffc107',
  WARNING: '#fd7e14',
  CRITICAL: '#dc3545',
};

const METRIC_LABELS: Record<string, string> = {
  count: 'People',
  density: 'Density (people/m²)',
  velocity: 'Speed (m/s)',
  surge: 'Surge (people/m²/s)',
  score: 'Risk score',
  riskScore: 'Risk score',
  flowIn: 'Flow in (/s)',
  flowOut: 'Flow out (/s)',
  capacity: 'Capacity',
  utilisation: 'Utilisation',
  pressure: 'Pressure',
};

export function metricLabel(key: string): string {
  return METRIC_LABELS[key] ?? key;
}

export function formatMetricValue(v: string | number | boolean | null): string {
  if (v === null) return '—';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    return Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/\.?0+$/, '');
  }
  return String(v);
}

/** At most `max` metric rows (the triggering snapshot is small; a runaway map is not allowed to make a huge mail). */
export function metricRows(metrics: AlertPayload['metrics'], max = 30): Array<{ key: string; label: string; value: string }> {
  return Object.entries(metrics ?? {})
    .slice(0, max)
    .map(([key, value]) => ({ key, label: metricLabel(key), value: formatMetricValue(value) }));
}

export function eventVerb(event: AlertPayload['event']): string {
  return event === 'all_clear' ? 'cleared' : event === 'escalated' ? 'escalated' : 'opened';
}

/** One line, no control characters (header-safe), at most `max` characters. */
export function oneLine(s: string | null | undefined, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const t = (s ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export function placeOf(a: Pick<AlertPayload, 'cameraName' | 'cameraLocation'>): string {
  const name = oneLine(a.cameraName, 120) || 'camera';
  const loc = oneLine(a.cameraLocation, 120);
  return loc ? `${name} — ${loc}` : name;
}
