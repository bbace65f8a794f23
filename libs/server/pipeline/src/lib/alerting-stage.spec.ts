import type { MetricsUpdate } from '@crowdsafe/alerting';
import { AlertingStage } from './alerting-stage';

const u = (at: number, level: MetricsUpdate['level']): MetricsUpdate => ({ cameraId: 'cam-1', at, level, score: NaN, density: NaN, surge: NaN, velocity: NaN, count: 0, capacity: null, cameraStatus: 'online' });
let n = 0;
const stage = (warn?: (m: string) => void) => new AlertingStage('cam-1', { cooldownMs: 0, allClearMs: 0, newId: () => `a${++n}` }, warn);

describe('AlertingStage', () => {
  it.each([
    { name: 'no updates: no events', ups: [] as MetricsUpdate[], types: [] as string[] },
    { name: 'SAFE stays quiet', ups: [u(1000, 'SAFE')], types: [] },
    { name: 'WARNING opens an alert', ups: [u(1000, 'SAFE'), u(2000, 'WARNING')], types: ['opened'] },
  ])('$name', ({ ups, types }) => {
    const s = stage();
    expect(ups.flatMap((x) => s.update(x)).map((e) => e.type)).toEqual(types);
  });

  it('clamps an update older than the last one to its time; statusTime never goes back', () => {
    const s = stage();
    s.update(u(5000, 'SAFE'));
    const [ev] = s.update(u(1000, 'WARNING'));
    expect(ev.at).toBe(5000);
    expect(s.statusTime(2000)).toBe(5000);
    expect(s.statusTime(9000)).toBe(9000);
  });

  it('a bad timing is not applied and warned', () => {
    const warnings: string[] = [];
    const s = stage((m) => warnings.push(m));
    const before = s.timing();
    expect(s.setTiming({ cooldownMs: -5 })).toBe(false);
    expect(s.timing()).toEqual(before);
    expect(warnings[0]).toMatch(/alert timing not applied/);
  });
});
