import type { RiskLevel } from '@crowdsafe/contracts';
import { AlertEngine } from './engine';
import type { AlertEvent, AlertRecipient, MetricsUpdate } from './types';

const S = 1000;
const recipients: AlertRecipient[] = [
  { cameraId: null, channel: 'email', destination: 'security@site', minLevel: 'WARNING', isActive: true },
  { cameraId: null, channel: 'sms', destination: '+1-manager', minLevel: 'CRITICAL', isActive: true },
];

function m(at: number, level: RiskLevel | null, patch: Partial<MetricsUpdate> = {}): MetricsUpdate {
  const score = { SAFE: 0.1, CAUTION: 0.35, WARNING: 0.6, CRITICAL: 0.85 }[level ?? 'SAFE'];
  return {
    cameraId: 'cam-1',
    at,
    level,
    score,
    density: 1,
    surge: 0,
    velocity: 1,
    count: 10,
    capacity: 100,
    cameraStatus: 'online',
    ...patch,
  };
}

const summary = (evs: AlertEvent[]) => evs.map((e) => `${e.at / S}s ${e.type} ${e.alert.condition} ${e.alert.level}`);

function play(engine: AlertEngine, updates: MetricsUpdate[]): AlertEvent[] {
  return updates.flatMap((u) => engine.update(u));
}

describe('AlertEngine', () => {
  it('early warning: a rising forecast opens early_warning before risk_level reaches CRITICAL', () => {
    const engine = new AlertEngine({ recipients });
    // CAUTION with the forecast crossing into CRITICAL in 60 s, counting down one second per second.
    const stream = Array.from({ length: 70 }, (_, t) => {
      const level: RiskLevel = t < 60 ? 'CAUTION' : 'CRITICAL';
      return m(t * S, level, { earlyWarningInS: Math.max(0, 60 - t) });
    });
    const events = play(engine, stream);
    // The countdown is the key value: 'updated' at most every 10 s when it moved by >= 20 %.
    expect(summary(events)).toEqual([
      '30s opened early_warning WARNING',
      '40s updated early_warning WARNING',
      '50s updated early_warning WARNING',
      '60s opened risk_level CRITICAL',
    ]);
    expect(events[0].alert.message).toContain('CRITICAL expected in 30 s');
    expect(events[0].channels).toEqual(['dashboard', 'email']);
  });

  it('setThresholds and setRouting apply live; a bad threshold changes nothing', () => {
    const engine = new AlertEngine({ recipients });
    expect(play(engine, [m(0, 'SAFE', { surge: 0.5 })])).toEqual([]);
    engine.setThresholds({ surge: 0.4 });
    engine.setRouting({ SAFE: [], CAUTION: ['dashboard'], WARNING: ['dashboard', 'sms'], CRITICAL: ['dashboard'] });
    const evs = play(engine, [m(1 * S, 'SAFE', { surge: 0.5 })]);
    expect(summary(evs)).toEqual(['1s opened surge WARNING']);
    expect(evs[0].channels).toEqual(['dashboard', 'sms']);
    // The SMS recipient wants CRITICAL only (minLevel), the email channel is not routed at WARNING any more.
    expect(evs[0].deliveries).toEqual([]);
    expect(() => engine.setThresholds({ surge: Number.NaN })).toThrow(RangeError);
    expect(engine.thresholdOverrides().surge).toBe(0.4);
  });

  it('emits nothing for an empty or calm stream', () => {
    const engine = new AlertEngine();
    expect(play(engine, [])).toEqual([]);
    expect(play(engine, Array.from({ length: 60 }, (_, i) => m(i * S, i % 2 ? 'SAFE' : 'CAUTION')))).toEqual([]);
    expect(engine.stats()).toEqual({ cameras: 0, slots: 0, activeAlerts: 0, resolvedIds: 0 });
  });

  it('scenario: SAFE -> CAUTION -> WARNING -> CRITICAL -> SAFE, one update per second, exact events', () => {
    const engine = new AlertEngine({ recipients });
    const phases: RiskLevel[] = ['SAFE', 'CAUTION', 'WARNING', 'CRITICAL', 'SAFE', 'SAFE', 'SAFE', 'SAFE', 'SAFE'];
    const stream = phases.flatMap((level, p) =>
      Array.from({ length: 10 }, (_, i) => {
        const t = p * 10 + i;
        // +-3 % jitter on the score: never a meaningful change.
        const jitter = 1 + 0.03 * Math.sin(t);
        return m(t * S, level, { score: { SAFE: 0.1, CAUTION: 0.35, WARNING: 0.6, CRITICAL: 0.85 }[level] * jitter });
      }),
    );
    const events = play(engine, stream);
    expect(summary(events)).toEqual([
      '20s opened risk_level WARNING',
      '30s escalated risk_level CRITICAL',
      '70s all_clear risk_level CRITICAL', // first SAFE at 40 s + 30 s cleared
    ]);
    const [opened, escalated, allClear] = events;
    expect(opened.channels).toEqual(['dashboard', 'email']);
    expect(opened.deliveries).toEqual([{ channel: 'email', destination: 'security@site' }]);
    expect(escalated.previousLevel).toBe('WARNING');
    expect(escalated.channels).toEqual(['dashboard', 'email', 'push', 'webhook', 'sms']);
    expect(escalated.deliveries).toEqual([
      { channel: 'email', destination: 'security@site' },
      { channel: 'sms', destination: '+1-manager' },
    ]);
    expect(escalated.alert).toMatchObject({ id: opened.alert.id, escalationLevel: 1, status: 'open' });
    expect(allClear.alert).toMatchObject({
      id: opened.alert.id,
      status: 'resolved',
      resolvedBy: 'system',
      resolvedAt: 70 * S,
      channelsNotified: ['dashboard', 'email', 'push', 'webhook', 'sms'],
    });
    expect(allClear.deliveries).toHaveLength(2); // all-clear reaches everyone the alert reached
    expect(engine.activeAlerts()).toEqual([]);
  });

  it('dedups: a persisting condition updates the one open alert, only on meaningful change', () => {
    const engine = new AlertEngine({ minUpdateIntervalMs: 10 * S, updateRelativeDelta: 0.2 });
    const evs = play(engine, [
      m(0, 'WARNING', { score: 0.5 }),
      m(1 * S, 'WARNING', { score: 0.7 }), // +40 % but too soon
      m(10 * S, 'WARNING', { score: 0.72 }), // +44 % vs last emitted, interval passed -> updated
      m(11 * S, 'WARNING', { score: 0.73 }),
      m(25 * S, 'WARNING', { score: 0.75 }), // small change -> nothing
      m(26 * S, 'CRITICAL', { score: 0.9 }), // escalated
      m(27 * S, 'WARNING', { score: 0.6 }), // de-escalation: level change -> updated at once, no notification
      m(28 * S, 'WARNING', { score: 0.6 }),
    ]);
    expect(summary(evs)).toEqual([
      '0s opened risk_level WARNING',
      '10s updated risk_level WARNING',
      '26s escalated risk_level CRITICAL',
      '27s updated risk_level CRITICAL',
    ]);
    expect(new Set(evs.map((e) => e.alert.id)).size).toBe(1);
    expect(evs[3]).toMatchObject({ previousLevel: 'CRITICAL', channels: ['dashboard'], deliveries: [] });
    expect(evs[3].alert.currentLevel).toBe('WARNING');
    expect(engine.activeAlerts()).toHaveLength(1);
  });

  it('honours the cooldown on a quick re-trigger, and re-opens after it', () => {
    const engine = new AlertEngine({ cooldownMs: 60 * S, allClearMs: 5 * S });
    const evs = play(engine, [
      m(0, 'WARNING'),
      m(1 * S, 'SAFE'),
      m(6 * S, 'SAFE'), // all clear, cooldown until 66 s
      m(10 * S, 'WARNING'), // suppressed
      m(65 * S, 'WARNING'), // still suppressed
      m(66 * S, 'WARNING'), // cooldown over -> new alert
    ]);
    expect(summary(evs)).toEqual(['0s opened risk_level WARNING', '6s all_clear risk_level WARNING', '66s opened risk_level WARNING']);
    expect(evs[2].alert.id).not.toBe(evs[0].alert.id);
  });

  it('an escalation within the cooldown still notifies', () => {
    const engine = new AlertEngine({ cooldownMs: 60 * S, allClearMs: 0, recipients });
    const evs = play(engine, [m(0, 'WARNING'), m(1 * S, 'SAFE'), m(2 * S, 'WARNING'), m(3 * S, 'CRITICAL')]);
    expect(summary(evs)).toEqual(['0s opened risk_level WARNING', '1s all_clear risk_level WARNING', '3s opened risk_level CRITICAL']);
    expect(evs[2].deliveries.map((d) => d.channel)).toEqual(['email', 'sms']);
  });

  it('a condition coming back before the all-clear delay keeps the alert open', () => {
    const engine = new AlertEngine({ allClearMs: 30 * S });
    const evs = play(engine, [m(0, 'WARNING'), m(10 * S, 'SAFE'), m(39 * S, 'SAFE'), m(40 * S, 'WARNING'), m(60 * S, 'SAFE'), m(89 * S, 'SAFE'), m(90 * S, 'SAFE')]);
    expect(summary(evs)).toEqual(['0s opened risk_level WARNING', '90s all_clear risk_level WARNING']);
  });

  it('unknown data (camera connecting, level null) neither triggers nor clears', () => {
    const engine = new AlertEngine({ allClearMs: 5 * S });
    const evs = play(engine, [
      m(0, 'CRITICAL'),
      m(1 * S, null),
      m(20 * S, 'CRITICAL', { cameraStatus: 'connecting' }),
      m(30 * S, 'SAFE'),
      m(35 * S, 'SAFE'),
    ]);
    expect(summary(evs)).toEqual(['0s opened risk_level CRITICAL', '35s all_clear risk_level CRITICAL']);
  });

  it.each([
    ['surge', { surge: 1.0 }],
    ['stagnation', { velocity: 0.1, density: 5 }],
    ['capacity', { count: 115 }],
    ['system_error', { systemError: 'GPU lost' }],
  ] as const)('raises and clears %s', (condition, patch) => {
    const engine = new AlertEngine({ allClearMs: 2 * S });
    const evs = play(engine, [m(0, 'SAFE', patch), m(1 * S, 'SAFE', patch), m(2 * S, 'SAFE'), m(4 * S, 'SAFE')]);
    expect(summary(evs)).toEqual([`0s opened ${condition} WARNING`, `4s all_clear ${condition} WARNING`]);
    expect(evs[0].alert.metricsSnapshot).toMatchObject({ at: 0, cameraStatus: 'online' });
  });

  it('raises camera_offline only after the grace period and clears it when back online', () => {
    const engine = new AlertEngine({ thresholds: { offlineGraceMs: 10 * S }, allClearMs: 0 });
    const offline = (at: number, status: MetricsUpdate['cameraStatus'] = 'offline') => m(at, null, { cameraStatus: status });
    const evs = play(engine, [offline(0), offline(5 * S, 'connecting'), offline(10 * S), offline(11 * S, 'error'), offline(12 * S), m(13 * S, 'SAFE')]);
    expect(summary(evs)).toEqual(['11s opened camera_offline WARNING', '13s all_clear camera_offline WARNING']);
  });

  describe('acknowledge / resolve', () => {
    function opened(engine: AlertEngine, at = 0): string {
      return engine.update(m(at, 'WARNING'))[0].alert.id;
    }

    it('acknowledges an open alert and records the response time', () => {
      const engine = new AlertEngine();
      const id = opened(engine, 1000);
      const res = engine.acknowledge(id, 'alice', 43_000, ' on my way ');
      expect(res).toMatchObject({
        ok: true,
        event: {
          type: 'acknowledged',
          channels: ['dashboard'],
          deliveries: [],
          alert: { status: 'acknowledged', acknowledgedBy: 'alice', acknowledgedAt: 43_000, responseTimeMs: 42_000, notes: 'on my way' },
        },
      });
    });

    it.each([
      ['unknown id', (e: AlertEngine, id: string) => e.acknowledge(`${id}x`, 'bob', 5000), 'not_found'],
      ['empty user', (e: AlertEngine, id: string) => e.acknowledge(id, ' ', 5000), 'invalid_user'],
      ['before trigger', (e: AlertEngine, id: string) => e.acknowledge(id, 'bob', -1), 'invalid_time'],
      ['NaN time', (e: AlertEngine, id: string) => e.resolve(id, 'bob', NaN), 'invalid_time'],
      [
        'acknowledge twice',
        (e: AlertEngine, id: string) => (e.acknowledge(id, 'bob', 5000), e.acknowledge(id, 'carol', 6000)),
        'already_acknowledged',
      ],
      ['acknowledge resolved', (e: AlertEngine, id: string) => (e.resolve(id, 'bob', 5000), e.acknowledge(id, 'carol', 6000)), 'already_resolved'],
      ['resolve twice', (e: AlertEngine, id: string) => (e.resolve(id, 'bob', 5000), e.resolve(id, 'carol', 6000)), 'already_resolved'],
    ] as const)('rejects: %s', (_name, act, code) => {
      const engine = new AlertEngine();
      const res = act(engine, opened(engine));
      expect(res).toMatchObject({ ok: false, code });
    });

    it('resolves open or acknowledged alerts manually, then applies the cooldown', () => {
      const engine = new AlertEngine({ cooldownMs: 60 * S });
      const id = opened(engine);
      expect(engine.acknowledge(id, 'alice', 2 * S).ok).toBe(true);
      const res = engine.resolve(id, 'alice', 5 * S, 'crowd dispersed');
      expect(res).toMatchObject({
        ok: true,
        event: { type: 'resolved', deliveries: [], alert: { status: 'resolved', resolvedBy: 'alice', resolvedAt: 5 * S, responseTimeMs: 2 * S } },
      });
      expect(engine.getAlert(id)).toBeNull();
      expect(engine.update(m(6 * S, 'WARNING'))).toEqual([]); // still WARNING: within cooldown
      expect(summary(engine.update(m(65 * S, 'WARNING')))).toEqual(['65s opened risk_level WARNING']);
      const id2 = opened(new AlertEngine());
      expect(new AlertEngine().resolve(id2, 'x', 0)).toMatchObject({ ok: false, code: 'not_found' });
    });

    it('an escalation re-opens an acknowledged alert for a fresh acknowledgement', () => {
      const engine = new AlertEngine();
      const id = opened(engine);
      engine.acknowledge(id, 'alice', 3 * S);
      const [ev] = engine.update(m(10 * S, 'CRITICAL'));
      expect(ev).toMatchObject({ type: 'escalated', alert: { id, status: 'open', acknowledgedBy: null, notifiedAt: 10 * S } });
      expect(engine.acknowledge(id, 'bob', 14 * S)).toMatchObject({ ok: true, event: { alert: { responseTimeMs: 4 * S } } });
    });
  });

  describe('setTiming (settings alerts.cooldownS / allClearS, live)', () => {
    // Each case: an engine with cooldown 60 s / all-clear 5 s, a WARNING alert opened at 0 s and cleared from 1 s;
    // `before` updates run, then setTiming(change), then `after` updates run.
    it.each([
      { name: 'no change: the old timing holds', change: {}, before: [m(1 * S, 'SAFE'), m(6 * S, 'SAFE')], after: [m(20 * S, 'WARNING'), m(66 * S, 'WARNING')], expected: ['6s all_clear risk_level WARNING', '66s opened risk_level WARNING'] },
      {
        name: 'a shorter cooldown applies to an alert resolved after the change',
        change: { cooldownMs: 10 * S },
        before: [],
        after: [m(1 * S, 'SAFE'), m(6 * S, 'SAFE'), m(15 * S, 'WARNING'), m(16 * S, 'WARNING')],
        expected: ['6s all_clear risk_level WARNING', '16s opened risk_level WARNING'],
      },
      {
        name: 'a shorter cooldown cuts a running one (counted from the resolution)',
        change: { cooldownMs: 10 * S },
        before: [m(1 * S, 'SAFE'), m(6 * S, 'SAFE'), m(10 * S, 'WARNING')],
        after: [m(15 * S, 'WARNING'), m(16 * S, 'WARNING')],
        expected: ['6s all_clear risk_level WARNING', '16s opened risk_level WARNING'],
      },
      {
        name: 'a longer cooldown does not extend a running one, but applies to the next resolution',
        change: { cooldownMs: 120 * S },
        before: [m(1 * S, 'SAFE'), m(6 * S, 'SAFE')],
        after: [m(66 * S, 'WARNING'), m(67 * S, 'SAFE'), m(72 * S, 'SAFE'), m(191 * S, 'WARNING'), m(192 * S, 'WARNING')],
        expected: ['6s all_clear risk_level WARNING', '66s opened risk_level WARNING', '72s all_clear risk_level WARNING', '192s opened risk_level WARNING'],
      },
      {
        name: 'a longer all-clear delay keeps a clearing alert open',
        change: { allClearMs: 30 * S },
        before: [m(1 * S, 'SAFE')],
        after: [m(6 * S, 'SAFE'), m(30 * S, 'SAFE'), m(31 * S, 'SAFE')],
        expected: ['31s all_clear risk_level WARNING'],
      },
      {
        name: 'a shorter all-clear delay resolves at the next update when already clear long enough',
        change: { allClearMs: 0 },
        before: [m(1 * S, 'SAFE')],
        after: [m(2 * S, 'SAFE')],
        expected: ['2s all_clear risk_level WARNING'],
      },
    ])('$name', ({ change, before, after, expected }) => {
      const engine = new AlertEngine({ cooldownMs: 60 * S, allClearMs: 5 * S });
      const evs = play(engine, [m(0, 'WARNING'), ...before]);
      engine.setTiming(change);
      evs.push(...play(engine, after));
      expect(summary(evs.slice(1))).toEqual(expected);
      expect(engine.timing()).toEqual({ cooldownMs: 60 * S, allClearMs: 5 * S, ...change });
    });

    it.each([
      { name: 'negative cooldown', change: { cooldownMs: -1 }, message: 'cooldownMs must be a finite number >= 0 (got -1)' },
      { name: 'NaN all-clear', change: { allClearMs: Number.NaN }, message: 'allClearMs must be a finite number >= 0 (got NaN)' },
      { name: 'one good, one bad: neither applies', change: { cooldownMs: 1000, allClearMs: Number.POSITIVE_INFINITY }, message: 'allClearMs must be a finite number >= 0 (got Infinity)' },
    ])('rejects $name and changes nothing', ({ change, message }) => {
      const engine = new AlertEngine({ cooldownMs: 60 * S, allClearMs: 5 * S });
      expect(() => engine.setTiming(change)).toThrow(new RangeError(message));
      expect(engine.timing()).toEqual({ cooldownMs: 60 * S, allClearMs: 5 * S });
      expect([engine.cooldownMs, engine.allClearMs]).toEqual([60 * S, 5 * S]);
    });
  });

  it('keeps state bounded: many cameras and alerts are pruned after resolution and cooldown', () => {
    const engine = new AlertEngine({ cooldownMs: 10 * S, allClearMs: 0, maxResolvedHistory: 50 });
    const cams = Array.from({ length: 500 }, (_, i) => `cam-${i}`);
    let events = 0;
    for (let round = 0; round < 3; round++) {
      const t0 = round * 100 * S;
      for (const c of cams) events += engine.update(m(t0, 'CRITICAL', { cameraId: c, surge: 1, systemError: 'e' })).length;
      expect(engine.stats()).toMatchObject({ cameras: 500, slots: 1500, activeAlerts: 1500 });
      for (const c of cams) events += engine.update(m(t0 + S, 'SAFE', { cameraId: c })).length;
      expect(engine.stats()).toMatchObject({ cameras: 500, slots: 1500, activeAlerts: 0, resolvedIds: 50 });
      engine.prune(t0 + 11 * S);
      expect(engine.stats()).toEqual({ cameras: 0, slots: 0, activeAlerts: 0, resolvedIds: 50 });
    }
    expect(events).toBe(3 * 500 * 3 * 2);
    engine.update(m(1000 * S, 'WARNING', { cameraId: 'gone' }));
    engine.forgetCamera('gone');
    expect(engine.stats()).toMatchObject({ cameras: 0, activeAlerts: 0 });
  });

  it('ignores out-of-order updates and validates options', () => {
    const engine = new AlertEngine();
    engine.update(m(10 * S, 'WARNING'));
    expect(engine.update(m(5 * S, 'CRITICAL'))).toEqual([]);
    expect(() => new AlertEngine({ cooldownMs: -1 })).toThrow(RangeError);
    const ids = ['a', 'b'];
    const custom = new AlertEngine({ newId: () => ids.shift() ?? 'z' });
    expect(custom.update(m(0, 'WARNING'))[0].alert.id).toBe('a');
  });
});
