import type { RiskLevel } from '@crowdsafe/contracts';
import { RiskLevelTracker } from './tracker';
import { DEFAULT_RISK_CONFIG } from './config';

const { thresholds, hysteresis } = DEFAULT_RISK_CONFIG; // 25/50/75, rise 2 s, fall 10 s, margin 5
const S: RiskLevel = 'SAFE';
const C: RiskLevel = 'CAUTION';
const W: RiskLevel = 'WARNING';
const X: RiskLevel = 'CRITICAL';
const rep = <T>(n: number, x: T): T[] => new Array<T>(n).fill(x);

/** Levels after each sample, samples at t = 0, 1, 2, ... s. */
function timeline(scores: (number | null)[], initial: RiskLevel = 'SAFE', h = hysteresis): RiskLevel[] {
  const tr = new RiskLevelTracker(thresholds, h, initial);
  return scores.map((s, t) => tr.update(t, s).level);
}

describe('RiskLevelTracker', () => {
  it('empty: no samples, initial level', () => {
    expect(new RiskLevelTracker(thresholds, hysteresis).level).toBe('SAFE');
    expect(timeline([])).toEqual([]);
  });

  it.each<[string, RiskLevel, (number | null)[], RiskLevel[]]>([
    ['one noisy frame never rises', S, [10, 80, 10, 10], [S, S, S, S]],
    ['rises after 2 s above', S, [30, 30, 30, 30], [S, S, C, C]],
    ['rises straight to the highest sustained level', S, [80, 80, 80], [S, S, X]],
    ['a dip restarts the rise dwell', S, [30, 30, 10, 30, 30, 30], [S, S, S, S, S, C]],
    ['a missing score restarts the rise dwell', S, [30, null, 30, 30, 30], [S, S, S, S, C]],
    ['inside the hysteresis band (72 < 75, not < 70): holds', X, rep(20, 72), rep(20, X)],
    ['falls after 10 s below threshold - margin', X, rep(12, 60), [...rep(10, X), W, W]],
    ['one noisy frame never falls, and restarts the fall dwell', X, [...rep(9, 60), 74, ...rep(11, 60)], [...rep(20, X), W]],
    ['falls several levels at once when all dwells are met', X, rep(11, 0), [...rep(10, X), S]],
    ['47 is within the WARNING band margin: holds', W, rep(15, 47), rep(15, W)],
    ['no measurement holds the level', C, rep(12, null), rep(12, C)],
    ['rises while falling', W, [40, 40, 80, 80, 80], [W, W, W, W, X]],
  ])('%s', (_n, initial, scores, levels) => {
    expect(timeline(scores, initial)).toEqual(levels);
  });

  it('zero dwells follow the score (with hysteresis on the way down)', () => {
    const h = { riseDwellS: 0, fallDwellS: 0, margin: 5 };
    expect(timeline([30, 80, 72, 69, 22, 19], S, h)).toEqual([C, X, X, W, C, S]);
  });

  it('reports changes, ignores samples that go back in time, accepts new thresholds per call', () => {
    const tr = new RiskLevelTracker(thresholds, hysteresis);
    expect(tr.update(0, 30)).toEqual({ level: S, previous: S, changed: false });
    expect(tr.update(2, 30)).toEqual({ level: C, previous: S, changed: true });
    expect(tr.update(1, 0)).toEqual({ level: C, previous: C, changed: false });
    const lower = { caution: 10, warning: 20, critical: 30 };
    tr.update(3, 35, lower);
    expect(tr.update(5, 35, lower).level).toBe(X);
  });
});
