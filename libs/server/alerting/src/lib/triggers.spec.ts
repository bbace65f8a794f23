import { DEFAULT_THRESHOLDS, evaluateConditions, evaluateTriggers } from './triggers';
import type { AlertCondition, MetricsUpdate } from './types';

const base: MetricsUpdate = {
  cameraId: 'cam-1',
  at: 100_000,
  level: 'SAFE',
  score: 0.1,
  density: 1,
  surge: 0,
  velocity: 1,
  count: 10,
  capacity: 100,
  cameraStatus: 'online',
};

describe('evaluateTriggers (spec 4.1)', () => {
  const cases: Array<{ name: string; patch: Partial<MetricsUpdate>; offlineSince?: number | null; expected: Array<[AlertCondition, string]> }> = [
    { name: 'nothing (calm, online)', patch: {}, expected: [] },
    { name: 'CAUTION is not an alert', patch: { level: 'CAUTION' }, expected: [] },
    { name: 'WARNING level', patch: { level: 'WARNING', score: 0.6 }, expected: [['risk_level', 'WARNING']] },
    { name: 'CRITICAL level', patch: { level: 'CRITICAL', score: 0.9 }, expected: [['risk_level', 'CRITICAL']] },
    { name: 'level null = unknown', patch: { level: null }, expected: [] },
    { name: 'surge at threshold does not fire', patch: { surge: 0.8 }, expected: [] },
    { name: 'surge above threshold', patch: { surge: 0.81 }, expected: [['surge', 'WARNING']] },
    { name: 'strong surge', patch: { surge: 1.6 }, expected: [['surge', 'CRITICAL']] },
    { name: 'stagnation', patch: { velocity: 0.1, density: 4.5 }, expected: [['stagnation', 'WARNING']] },
    { name: 'slow but not dense', patch: { velocity: 0.1, density: 4 }, expected: [] },
    { name: 'dense but moving', patch: { velocity: 0.2, density: 6 }, expected: [] },
    { name: 'capacity at 110 % does not fire', patch: { count: 110 }, expected: [] },
    { name: 'capacity above 110 %', patch: { count: 111 }, expected: [['capacity', 'WARNING']] },
    { name: 'capacity above 125 %', patch: { count: 126 }, expected: [['capacity', 'CRITICAL']] },
    { name: 'unknown capacity', patch: { count: 500, capacity: null }, expected: [] },
    { name: 'zero capacity', patch: { count: 500, capacity: 0 }, expected: [] },
    { name: 'offline within grace', patch: { cameraStatus: 'offline' }, offlineSince: 100_000 - 30_000, expected: [] },
    { name: 'offline past grace', patch: { cameraStatus: 'offline' }, offlineSince: 100_000 - 30_001, expected: [['camera_offline', 'WARNING']] },
    { name: 'error past grace', patch: { cameraStatus: 'error' }, offlineSince: 0, expected: [['camera_offline', 'WARNING']] },
    { name: 'offline: stale metrics ignored', patch: { cameraStatus: 'offline', level: 'CRITICAL', surge: 5 }, offlineSince: 99_000, expected: [] },
    { name: 'system error', patch: { systemError: 'inference worker crashed' }, expected: [['system_error', 'WARNING']] },
    { name: 'blank system error', patch: { systemError: '  ' }, expected: [] },
    { name: 'early warning: CRITICAL forecast in 30 s fires', patch: { level: 'CAUTION', earlyWarningInS: 30 }, expected: [['early_warning', 'WARNING']] },
    { name: 'early warning: 30.1 s is beyond the default', patch: { level: 'CAUTION', earlyWarningInS: 30.1 }, expected: [] },
    { name: 'early warning: no forecast crossing', patch: { level: 'CAUTION', earlyWarningInS: null }, expected: [] },
    { name: 'early warning: already CRITICAL (risk_level carries it)', patch: { level: 'CRITICAL', earlyWarningInS: 0 }, expected: [['risk_level', 'CRITICAL']] },
    { name: 'early warning: offline never fires', patch: { cameraStatus: 'offline', earlyWarningInS: 5 }, offlineSince: 99_000, expected: [] },
    { name: 'NaN metrics never fire', patch: { surge: NaN, velocity: NaN, count: NaN }, expected: [] },
    {
      name: 'several at once, in condition order',
      patch: { level: 'CRITICAL', surge: 1, velocity: 0.1, density: 5, count: 120, systemError: 'x' },
      expected: [
        ['risk_level', 'CRITICAL'],
        ['surge', 'WARNING'],
        ['stagnation', 'WARNING'],
        ['capacity', 'WARNING'],
        ['system_error', 'WARNING'],
      ],
    },
  ];
  it.each(cases)('$name', ({ patch, offlineSince, expected }) => {
    const got = evaluateTriggers({ ...base, ...patch }, { offlineSince: offlineSince ?? null });
    expect(got.map((t) => [t.condition, t.level])).toEqual(expected);
    for (const t of got) {
      expect(t.cameraId).toBe('cam-1');
      expect(t.at).toBe(100_000);
      expect(t.message).toContain('cam-1');
      expect(t.snapshot).toMatchObject({ at: 100_000, cameraStatus: patch.cameraStatus ?? 'online' });
      expect(JSON.parse(JSON.stringify(t.snapshot))).toEqual(t.snapshot); // JSON-safe
    }
  });

  it('early warning: a custom lead time, 0 turns it off', () => {
    const u = { ...base, level: 'CAUTION' as const, earlyWarningInS: 50 };
    expect(evaluateTriggers(u, { thresholds: { earlyWarningS: 60 } }).map((t) => [t.condition, t.snapshot['earlyWarningInS']])).toEqual([['early_warning', 50]]);
    expect(evaluateTriggers({ ...u, earlyWarningInS: 1 }, { thresholds: { earlyWarningS: 0 } })).toEqual([]);
    expect(DEFAULT_THRESHOLDS.earlyWarningS).toBe(30);
  });

  it('honours custom thresholds', () => {
    expect(evaluateTriggers({ ...base, surge: 0.5 }, { thresholds: { surge: 0.4 } }).map((t) => t.condition)).toEqual(['surge']);
    expect(DEFAULT_THRESHOLDS.surge).toBe(0.8);
  });

  it('reports clear vs unknown per condition', () => {
    const states = (u: Partial<MetricsUpdate>) =>
      Object.fromEntries(evaluateConditions({ ...base, ...u }).map((c) => [c.condition, c.state]));
    expect(states({})).toEqual({
      risk_level: 'clear',
      early_warning: 'clear',
      surge: 'clear',
      stagnation: 'clear',
      capacity: 'clear',
      camera_offline: 'clear',
      system_error: 'clear',
    });
    expect(states({ cameraStatus: 'connecting' })).toEqual({
      risk_level: 'unknown',
      early_warning: 'unknown',
      surge: 'unknown',
      stagnation: 'unknown',
      capacity: 'unknown',
      camera_offline: 'unknown',
      system_error: 'clear',
    });
  });
});
