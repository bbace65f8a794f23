import type { AlertLiveEvent, AlertView, RiskLevel } from '@crowdsafe/contracts';

export type TimelineKind = 'opened' | 'updated' | 'escalated' | 'acknowledged' | 'resolved' | 'all_clear';

/** One line of an alert's timeline. */
export interface TimelineEntry {
  /** ISO 8601. */
  at: string;
  kind: TimelineKind;
  level: RiskLevel | null;
  text: string;
  /** Channels the event went out on (live events only). */
  channels: readonly string[];
}

const who = (id: string | null, me: string | null): string => (id === null || id === 'system' ? 'the system' : id === me ? 'you' : `user ${id.slice(0, 8)}`);

/**
 * The alert's timeline: what its row records (trigger, acknowledgement with response time, resolution or all-clear
 * with notes) merged with the live `alert` events this console received for it (escalations and updates with their
 * level and channels; the server keeps no per-event history). Oldest first; a live event that repeats a row fact
 * (its opening, acknowledgement, resolution) is folded into it.
 */
export function alertTimeline(a: AlertView, events: readonly AlertLiveEvent[], me: string | null = null): TimelineEntry[] {
  const byKind = (k: string) => events.filter((e) => e.alert.id === a.id && e.type === k);
  const channelsOf = (k: string) => [...new Set(byKind(k).flatMap((e) => e.channels ?? []))];
  const out: TimelineEntry[] = [];
  const opened = byKind('opened')[0];
  out.push({
    at: a.createdAt,
    kind: 'opened',
    level: opened?.currentLevel ?? (a.escalationLevel > 0 ? null : a.level),
    text: `Triggered (${a.condition.replace(/_/g, ' ')}): ${a.message}`,
    channels: channelsOf('opened'),
  });
  const live = events.filter((e) => e.alert.id === a.id && (e.type === 'escalated' || e.type === 'updated'));
  for (const e of live) {
    out.push({
      at: e.at,
      kind: e.type as TimelineKind,
      level: e.currentLevel ?? e.alert.level,
      text: e.type === 'escalated' ? `Escalated${e.previousLevel ? ` from ${e.previousLevel}` : ''} to ${e.currentLevel ?? e.alert.level}` : `Updated: ${e.alert.message}`,
      channels: e.channels ?? [],
    });
  }
  if (a.escalationLevel > 0 && !live.some((e) => e.type === 'escalated')) {
    out.push({
      at: a.acknowledgedAt && a.acknowledgedAt < a.updatedAt ? a.acknowledgedAt : a.updatedAt,
      kind: 'escalated',
      level: a.level,
      text: `Escalated ${a.escalationLevel} time${a.escalationLevel > 1 ? 's' : ''}, up to ${a.level}`,
      channels: [],
    });
  }
  if (a.acknowledgedAt) {
    const rt = a.responseTimeMs === null ? '' : ` · response ${Math.round(a.responseTimeMs / 1000)} s`;
    out.push({ at: a.acknowledgedAt, kind: 'acknowledged', level: null, text: `Acknowledged by ${who(a.acknowledgedBy, me)}${rt}`, channels: channelsOf('acknowledged') });
  }
  if (a.resolvedAt) {
    const allClear = a.resolvedBy === null || a.resolvedBy === 'system' || byKind('all_clear').length > 0;
    out.push({
      at: a.resolvedAt,
      kind: allClear ? 'all_clear' : 'resolved',
      level: null,
      text: `${allClear ? 'All clear / resolved by the system' : `Resolved by ${who(a.resolvedBy, me)}`}${a.notes ? ` — notes: ${a.notes}` : ''}`,
      channels: channelsOf(allClear ? 'all_clear' : 'resolved'),
    });
  }
  return out.sort((x, y) => Date.parse(x.at) - Date.parse(y.at) || order(x.kind) - order(y.kind));
}

const ORDER: TimelineKind[] = ['opened', 'updated', 'escalated', 'acknowledged', 'resolved', 'all_clear'];
const order = (k: TimelineKind) => ORDER.indexOf(k);

/** The metrics window shown around the trigger: 5 min before, up to 5 min after the end (or now), at most 30 min. */
export function metricsWindow(a: AlertView, nowMs: number): { start: Date; end: Date } {
  const t = Date.parse(a.createdAt);
  const endOf = a.resolvedAt ? Date.parse(a.resolvedAt) : nowMs;
  const end = Math.min(nowMs, endOf + 5 * 60_000, t + 25 * 60_000);
  return { start: new Date(t - 5 * 60_000), end: new Date(Math.max(end, t + 60_000)) };
}
