import type { AlertLiveEvent, AlertView } from '@crowdsafe/contracts';
import { alertTimeline, metricsWindow } from './alert-timeline';

const base: AlertView = {
  id: 'a1',
  cameraId: 'cam',
  condition: 'risk_level',
  level: 'WARNING',
  status: 'open',
  message: 'Risk WARNING (62)',
  metricsSnapshot: {},
  channelsNotified: ['dashboard'],
  escalationLevel: 0,
  acknowledgedBy: null,
  acknowledgedAt: null,
  responseTimeMs: null,
  resolvedBy: null,
  resolvedAt: null,
  notes: null,
  hasSnapshot: true,
  createdAt: '2026-01-01T10:00:00.000Z',
  updatedAt: '2026-01-01T10:00:00.000Z',
};
const ev = (type: AlertLiveEvent['type'], at: string, over: Partial<AlertLiveEvent> = {}): AlertLiveEvent =>
  ({ type, at, alert: base, currentLevel: 'WARNING', channels: ['dashboard'], ...over }) as AlertLiveEvent;

describe('alertTimeline', () => {
  it('a fresh alert: only its trigger', () => {
    expect(alertTimeline(base, [])).toEqual([{ at: base.createdAt, kind: 'opened', level: 'WARNING', text: 'Triggered (risk level): Risk WARNING (62)', channels: [] }]);
  });

  it('merges live escalations (with channels) and row facts, oldest first; ignores other alerts', () => {
    const a: AlertView = {
      ...base,
      level: 'CRITICAL',
      status: 'resolved',
      escalationLevel: 1,
      acknowledgedAt: '2026-01-01T10:02:00.000Z',
      acknowledgedBy: 'u-me',
      responseTimeMs: 45_000,
      resolvedAt: '2026-01-01T10:05:00.000Z',
      resolvedBy: 'u-other-123456',
      notes: 'gate 3 opened',
    };
    const events = [
      ev('opened', '2026-01-01T10:00:00.000Z', { channels: ['dashboard', 'email'] }),
      ev('escalated', '2026-01-01T10:01:15.000Z', { currentLevel: 'CRITICAL', previousLevel: 'WARNING', channels: ['dashboard', 'email', 'push', 'sms'] }),
      ev('escalated', '2026-01-01T10:01:30.000Z', { alert: { ...base, id: 'other' } }),
    ];
    const t = alertTimeline(a, events, 'u-me');
    expect(t.map((e) => [e.kind, e.text])).toEqual([
      ['opened', 'Triggered (risk level): Risk WARNING (62)'],
      ['escalated', 'Escalated from WARNING to CRITICAL'],
      ['acknowledged', 'Acknowledged by you · response 45 s'],
      ['resolved', 'Resolved by user u-other- — notes: gate 3 opened'],
    ]);
    expect(t[0].channels).toEqual(['dashboard', 'email']);
    expect(t[1].channels).toEqual(['dashboard', 'email', 'push', 'sms']);
  });

  it('without live events an escalation is summarised from the row; a system resolution is an all-clear', () => {
    const a: AlertView = { ...base, level: 'CRITICAL', escalationLevel: 2, updatedAt: '2026-01-01T10:03:00.000Z', resolvedAt: '2026-01-01T10:09:00.000Z', resolvedBy: 'system', status: 'resolved' };
    expect(alertTimeline(a, []).map((e) => [e.kind, e.text, e.at])).toEqual([
      ['opened', 'Triggered (risk level): Risk WARNING (62)', base.createdAt],
      ['escalated', 'Escalated 2 times, up to CRITICAL', '2026-01-01T10:03:00.000Z'],
      ['all_clear', 'All clear / resolved by the system', '2026-01-01T10:09:00.000Z'],
    ]);
  });
});

describe('metricsWindow', () => {
  const t = Date.parse(base.createdAt);
  it.each([
    ['open, just triggered', base, t + 10_000, [t - 300_000, t + 60_000]],
    ['open for an hour: capped at 25 min after', base, t + 3_600_000, [t - 300_000, t + 1_500_000]],
    ['resolved after 2 min: 5 min past the end', { ...base, resolvedAt: '2026-01-01T10:02:00.000Z' }, t + 3_600_000, [t - 300_000, t + 420_000]],
  ])('%s', (_w, a, now, [s, e]) => {
    const w = metricsWindow(a as AlertView, now as number);
    expect([w.start.getTime(), w.end.getTime()]).toEqual([s, e]);
  });
});
