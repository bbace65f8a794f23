import { ar1, gaussian, generateScenario, mulberry32, SYNTHETIC_SCENARIOS, type SyntheticScenario } from './synthetic';

const scenario = (over: Partial<SyntheticScenario>): SyntheticScenario => ({ name: 's', description: '', durationS: 5, noisy: true, level: () => 2, ...over });

describe('generateScenario', () => {
  it.each([
    { name: 'empty duration', s: scenario({ durationS: 0 }), noise: { sigma: 0.1, cv: 0.1, phi: 0.5 }, expected: [] },
    { name: 'noise-free scenario: the exact level', s: scenario({ noisy: false, durationS: 3, level: (t: number) => t / 2 }), noise: { sigma: 0.1, cv: 0.1, phi: 0 }, expected: [0, 0.5, 1] },
    { name: 'noisy scenario with zero noise: the exact level', s: scenario({ durationS: 3 }), noise: { sigma: 0, cv: 0, phi: 0.5 }, expected: [2, 2, 2] },
  ])('$name', ({ s, noise, expected }) => {
    expect(generateScenario(s, noise, 1).map((p) => p.density)).toEqual(expected);
    expect(generateScenario(s, noise, 1).map((p) => p.t)).toEqual(expected.map((_, i) => i));
  });

  it('is deterministic per seed, differs across seeds, and never goes negative', () => {
    const s = scenario({ durationS: 500, level: () => 0.05 });
    const noise = { sigma: 0.1, cv: 0, phi: 0.5 };
    expect(generateScenario(s, noise, 7)).toEqual(generateScenario(s, noise, 7));
    expect(generateScenario(s, noise, 7)).not.toEqual(generateScenario(s, noise, 8));
    expect(Math.min(...generateScenario(s, noise, 7).map((p) => p.density))).toBe(0);
  });

  it('multiplicative noise: spread proportional to the level (sample sd within 10 % of cv x level)', () => {
    for (const level of [1, 4]) {
      const xs = generateScenario(scenario({ durationS: 20000, level: () => level }), { sigma: 0, cv: 0.1, phi: 0.5 }, 3).map((p) => p.density);
      const m = xs.reduce((a, v) => a + v, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((a, v) => a + (v - m) ** 2, 0) / xs.length);
      expect(Math.abs(sd - 0.1 * level) / (0.1 * level)).toBeLessThan(0.1);
    }
  });
});

describe('ar1', () => {
  it.each([
    { name: 'empty', n: 0, phi: 0.5 },
    { name: 'white', n: 20000, phi: 0 },
    { name: 'correlated', n: 20000, phi: 0.6 },
  ])('$name: unit variance and lag-1 autocorrelation phi (within 0.05)', ({ n, phi }) => {
    const e = ar1(n, phi, gaussian(mulberry32(42)));
    expect(e).toHaveLength(n);
    if (!n) return;
    const m = e.reduce((a, v) => a + v, 0) / n;
    const v = e.reduce((a, x) => a + (x - m) ** 2, 0) / n;
    let c = 0;
    for (let i = 1; i < n; i++) c += ((e[i] as number) - m) * ((e[i - 1] as number) - m);
    expect(Math.abs(v - 1)).toBeLessThan(0.05);
    expect(Math.abs(c / n / v - phi)).toBeLessThan(0.05);
  });

  it.each([1, -1, Number.NaN])('rejects phi %p', (phi) => {
    expect(() => ar1(3, phi, () => 0)).toThrow('AR(1) phi must be in (-1, 1)');
  });
});

describe('SYNTHETIC_SCENARIOS', () => {
  it.each(SYNTHETIC_SCENARIOS.map((s) => ({ name: s.name, s })))('$name: 30 min of finite levels in [0.5, 5] p/m²', ({ s }) => {
    expect(s.durationS).toBe(1800);
    const levels = Array.from({ length: s.durationS }, (_, t) => s.level(t));
    expect(levels.every((v) => Number.isFinite(v) && v >= 0.5 && v <= 5)).toBe(true);
  });

  it('documented shapes: ramp ends, the rise-fall turning point, the surge knee', () => {
    const by = (n: string) => SYNTHETIC_SCENARIOS.find((s) => s.name === n) as SyntheticScenario;
    expect([by('ramp').level(0), by('ramp').level(900)]).toEqual([0.5, 2.25]);
    expect([by('rise-fall+noise').level(0), by('rise-fall+noise').level(900)]).toEqual([1, 4]);
    expect(by('rise-fall+noise').level(1799)).toBeCloseTo(1 + 3 / 900, 12);
    expect([by('surge-plateau+noise').level(599), by('surge-plateau+noise').level(750), by('surge-plateau+noise').level(1200)]).toEqual([1, 3, 5]);
    expect(by('plateau+noise').level(1234)).toBe(2);
  });
});
