import type { EngineAlert, EngineAlertEvent } from '@crowdsafe/server-core';
import type { AlertRecord } from '@crowdsafe/server-database';
import { appendNote, patchOfEvent, responseTimeMs, viewOfEngine, viewOfRecord } from './alert-view';
import { snapshotsToPrune } from './snapshot-store';

const USER = '6f1c2f7e-0d7a-4b8e-9d3e-1d2c3b4a5f60';
const T = Date.UTC(2026, 0, 1);

function alert(patch: Partial<EngineAlert> = {}): EngineAlert {
  return {
    id: 'a1a1a1a1-0000-4000-8000-000000000001', cameraId: 'c1c1c1c1-0000-4000-8000-000000000001', condition: 'risk_level', level: 'WARNING', currentLevel: 'WARNING',
    status: 'open', message: 'm', metricsSnapshot: { score: 60 }, channelsNotified: ['dashboard', 'email'], escalationLevel: 0, acknowledgedBy: null,
    acknowledgedAt: null, responseTimeMs: null, resolvedBy: null, resolvedAt: null, notes: null, createdAt: T, updatedAt: T, notifiedAt: T, ...patch,
  };
}
const ev = (type: EngineAlertEvent['type'], a: EngineAlert): EngineAlertEvent => ({ type, at: a.updatedAt, alert: a, channels: ['dashboard'], deliveries: [] });

describe('alert views', () => {
  it('responseTimeMs', () => {
    expect(responseTimeMs(T, null)).toBeNull();
    expect(responseTimeMs(new Date(T), new Date(T + 4200))).toBe(4200);
    expect(responseTimeMs(T, T - 1)).toBeNull();
  });

  it('appendNote', () => {
    expect(appendNote(null, undefined)).toBeNull();
    expect(appendNote(null, '  ')).toBeNull();
    expect(appendNote(null, ' a ')).toBe('a');
    expect(appendNote('a', 'b')).toBe('a\nb');
  });

  it('engine alerts: only users-table ids are shown as people; the database supplies channels and snapshot', () => {
    const v = viewOfEngine(alert({ status: 'acknowledged', acknowledgedBy: 'alice', acknowledgedAt: T + 5000 }));
    expect(v).toMatchObject({ acknowledgedBy: null, acknowledgedAt: new Date(T + 5000).toISOString(), responseTimeMs: 5000, channelsNotified: ['dashboard'], hasSnapshot: false });
    expect(viewOfEngine(alert({ resolvedBy: USER, resolvedAt: T }), { channelsNotified: ['dashboard', 'sms'], snapshotPath: '/x.jpg' })).toMatchObject({
      resolvedBy: USER, channelsNotified: ['dashboard', 'sms'], hasSnapshot: true,
    });
  });

  it('records', () => {
    const r: AlertRecord = {
      id: 'x', cameraId: 'c', level: 'CRITICAL', condition: 'surge', status: 'resolved', message: 'm', metricsSnapshot: {}, snapshotPath: null, channelsNotified: ['dashboard'],
      escalationLevel: 2, acknowledgedBy: USER, acknowledgedAt: new Date(T + 1000), resolvedBy: null, resolvedAt: new Date(T + 9000), notes: 'n', createdAt: new Date(T), updatedAt: new Date(T + 9000),
    };
    expect(viewOfRecord(r)).toMatchObject({ responseTimeMs: 1000, resolvedAt: new Date(T + 9000).toISOString(), hasSnapshot: false, escalationLevel: 2 });
  });

  it.each([
    ['updated', alert({ currentLevel: 'WARNING', updatedAt: T + 1 }), undefined, { acknowledgedBy: null }, ['resolvedBy']],
    ['acknowledged', alert({ status: 'acknowledged', acknowledgedBy: 'bob', acknowledgedAt: T + 2 }), USER, { acknowledgedBy: USER, status: 'acknowledged' }, ['resolvedBy']],
    ['acknowledged', alert({ status: 'acknowledged', acknowledgedBy: 'anonymous', acknowledgedAt: T + 2 }), 'anonymous', { acknowledgedBy: null }, []],
    ['escalated', alert({ level: 'CRITICAL', escalationLevel: 1 }), undefined, { acknowledgedBy: null, level: 'CRITICAL', escalationLevel: 1, acknowledgedAt: null }, []],
    ['resolved', alert({ status: 'resolved', resolvedBy: 'x', resolvedAt: T + 3, acknowledgedAt: T + 1 }), USER, { resolvedBy: USER, status: 'resolved' }, ['acknowledgedBy']],
    ['all_clear', alert({ status: 'resolved', resolvedBy: 'system', resolvedAt: T + 3 }), undefined, { resolvedBy: null, resolvedAt: new Date(T + 3) }, []],
  ] as const)('patch of %s', (type, a, actor, expected, absent) => {
    const p = patchOfEvent(ev(type, a), actor);
    expect(p).toMatchObject(expected);
    for (const k of absent) expect(p).not.toHaveProperty(k);
  });
});

describe('snapshotsToPrune', () => {
  const name = (ms: number, i: number) => `${String(ms).padStart(13, '0')}_0000000${i}-0000-4000-8000-000000000000.jpg`;
  it.each([
    ['nothing', [], 5, 0, []],
    ['foreign files are ignored', ['notes.txt', 'x.jpg'], 0, Number.MAX_SAFE_INTEGER, []],
    ['over the count: oldest first', [name(3000, 3), name(1000, 1), name(2000, 2)], 2, 0, [name(1000, 1)]],
    ['older than the cut-off', [name(1000, 1), name(2000, 2), name(3000, 3)], 10, 2500, [name(1000, 1), name(2000, 2)]],
    ['both', [name(1000, 1), name(2000, 2), name(3000, 3), name(4000, 4)], 2, 1500, [name(1000, 1), name(2000, 2)]],
  ] as const)('%s', (_n, names, max, cutoff, out) => {
    expect(snapshotsToPrune(names, max, cutoff)).toEqual(out);
  });
});
