import type { AlertPayload } from '../delivery.types';
import { formatMetricValue, oneLine } from './format';

export const SMS_MAX = 160;

/** The metric an operator reads first: density, else the count, else the risk score. */
export function keyMetric(metrics: AlertPayload['metrics']): string {
  const m = metrics ?? {};
  const num = (k: string) => (typeof m[k] === 'number' && Number.isFinite(m[k]) ? (m[k] as number) : null);
  const density = num('density');
  if (density !== null) return `${formatMetricValue(density)} p/m2`;
  const count = num('count');
  if (count !== null) return `${formatMetricValue(count)} people`;
  const score = num('score') ?? num('riskScore');
  if (score !== null) return `score ${formatMetricValue(score)}`;
  return '';
}

/** A link short enough for an SMS: the console URL, or just its origin when the full URL is longer than `max`. */
export function shortLink(url: string, max = 80): string {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return '';
    const full = u.toString();
    return full.length <= max ? full : u.origin;
  } catch {
    return '';
  }
}

const clip = (s: string, n: number) => (n <= 0 ? '' : s.length > n ? `${s.slice(0, Math.max(n - 1, 0))}…` : s);

/**
 * "[CRITICAL] Gate 3 (North stand): 5.2 p/m2 https://console/cameras/..." in at most 160 characters:
 * the level, metric and link always survive; camera name and location are shortened to fit. Our own text is
 * plain ASCII (GSM-7); non-Latin camera names make the carrier send it as UCS-2.
 */
export function buildSmsText(a: AlertPayload): string {
  const clear = a.event === 'all_clear';
  const head = clear ? '[ALL CLEAR]' : `[${oneLine(a.level, 16)}]${a.event === 'escalated' ? ' escalated' : ''}`;
  const metric = clear ? 'back to normal' : keyMetric(a.metrics);
  const link = shortLink(a.consoleUrl);
  const name = oneLine(a.cameraName, 160) || 'camera';
  const loc = oneLine(a.cameraLocation, 160);
  const tail = [metric ? `: ${metric}` : '', link ? ` ${link}` : ''].join('');
  const room = SMS_MAX - head.length - 1 - tail.length; // "<head> <place><tail>"
  let place = loc ? `${name} (${loc})` : name;
  if (place.length > room) {
    if (loc) {
      // The name matters more than the location: keep up to 24 characters of the name before cutting it.
      const l = clip(loc, Math.max(room - 3 - Math.min(name.length, 24), 0));
      const n = clip(name, room - (l ? l.length + 3 : 0));
      place = l ? `${n} (${l})` : n;
    } else {
      place = clip(name, room);
    }
  }
  const text = `${head} ${place}${tail}`.trim();
  return text.length > SMS_MAX ? text.slice(0, SMS_MAX) : text;
}
