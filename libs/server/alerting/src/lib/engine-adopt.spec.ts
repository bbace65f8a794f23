import type { RiskLevel } from '@crowdsafe/contracts';
import { AlertEngine } from './engine';
import type { AlertEvent, MetricsUpdate } from './types';

const S = 1000;

function m(at: number, level: RiskLevel): MetricsUpdate {
  const score = { SAFE: 0.1, CAUTION: 0.35, WARNING: 0.6, CRITICAL: 0.85 }[level];
  return { cameraId: 'cam-1', at, level, score, density: 1, surge: 0, velocity: 1, count: 10, capacity: 100, cameraStatus: 'online' };
}
const summary = (evs: AlertEvent[]) => evs.map((e) => `${e.at / S}s ${e.type} ${e.alert.id} ${e.alert.level}`);
const play = (engine: AlertEngine, ups: MetricsUpdate[]) => ups.flatMap((u) => engine.update(u));

/** The first engine runs the camera until its process dies; a second one takes over from the stored alerts. */
function handOver(phasesBefore: RiskLevel[]): { first: AlertEngine; second: AlertEngine; before: AlertEvent[] } {
  const first = new AlertEngine({ newId: () => 'A1' });
  const before = play(first, phasesBefore.map((l, i) => m(i * S, l)));
  const second = new AlertEngine({ newId: () => 'B1' });
  second.adopt(first.activeAlerts('cam-1'), phasesBefore.length * S);
  return { first, second, before };
}

describe('AlertEngine.adopt (camera taken over by another process)', () => {
  it('nothing to adopt: the new engine starts empty', () => {
    const engine = new AlertEngine();
    expect(engine.adopt([], 0)).toBe(0);
    expect(engine.stats().activeAlerts).toBe(0);
  });

  it.each([
    {
      name: 'the condition persists: no second "opened"',
      after: ['WARNING', 'WARNING', 'WARNING'] as RiskLevel[],
      want: [] as string[],
    },
    {
      name: 'it worsens: the adopted alert escalates (no lost escalation)',
      after: ['WARNING', 'CRITICAL'] as RiskLevel[],
      want: ['11s escalated A1 CRITICAL'],
    },
    {
      name: 'it clears: the adopted alert gets its all-clear after the delay',
      after: Array.from({ length: 32 }, () => 'SAFE' as RiskLevel),
      want: ['40s all_clear A1 WARNING'],
    },
  ])('$name', ({ after, want }) => {
    const { second, before } = handOver(['SAFE', 'WARNING', 'WARNING', 'WARNING', 'WARNING', 'WARNING', 'WARNING', 'WARNING', 'WARNING', 'WARNING']);
    expect(summary(before)).toEqual(['1s opened A1 WARNING']);
    const events = play(second, after.map((l, i) => m((10 + i) * S, l)));
    expect(summary(events)).toEqual(want);
  });

  it('an adopted alert can be acknowledged on the new engine, once', () => {
    const { second } = handOver(['WARNING', 'WARNING']);
    expect(second.acknowledge('A1', 'op', 5 * S)).toMatchObject({ ok: true });
    expect(second.acknowledge('A1', 'op', 6 * S)).toMatchObject({ ok: false, code: 'already_acknowledged' });
  });

  it('ignores resolved alerts, unknown conditions and alerts it already has', () => {
    const { first, second } = handOver(['WARNING', 'WARNING']);
    const [a] = first.activeAlerts('cam-1');
    expect(second.adopt([a], 0)).toBe(0);
    expect(second.adopt([{ ...a, id: 'X', status: 'resolved' }], 0)).toBe(0);
    expect(second.adopt([{ ...a, id: 'Y', condition: 'nonsense' as never }], 0)).toBe(0);
    expect(second.stats().activeAlerts).toBe(1);
  });
});
