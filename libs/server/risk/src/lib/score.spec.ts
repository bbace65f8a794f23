import type { RiskLevel } from '@crowdsafe/contracts';
import { computeRisk, crowdingFactor, levelForScore } from './score';
import { DEFAULT_RISK_CONFIG, EVENT_PROFILES, applyPatch } from './config';
import type { RiskInput } from './types';

const base = DEFAULT_RISK_CONFIG;
const concert = applyPatch(base, EVENT_PROFILES.concert);
const transit = applyPatch(base, EVENT_PROFILES.transit);

describe('levelForScore (default thresholds 25 / 50 / 75)', () => {
  it.each<[number, RiskLevel]>([
    [0, 'SAFE'],
    [24.999999, 'SAFE'],
    [25, 'CAUTION'],
    [49.999999, 'CAUTION'],
    [50, 'WARNING'],
    [74.999999, 'WARNING'],
    [75, 'CRITICAL'],
    [100, 'CRITICAL'],
  ])('%p -> %s', (score, level) => expect(levelForScore(score, base.thresholds)).toBe(level));
});

describe('crowdingFactor (Fruin walkway LOS E 1.08 -> LOS F 2.15 p/m²)', () => {
  it.each<[number, number]>([
    [0, 0],
    [1.08, 0],
    [1.615, 0.5],
    [2.15, 1],
    [6, 1],
  ])('%p p/m² -> %p', (d, f) => expect(crowdingFactor(d, base)).toBeCloseTo(f, 12));
});

describe('computeRisk, base profile (0.4 density / 0.3 surge / 0.3 velocity)', () => {
  it('empty hall: zero density, no movement data -> 0, SAFE, full score', () => {
    const r = computeRisk({ density: 0, surge: 0, velocity: 0 }, base);
    expect(r).toMatchObject({ score: 0, level: 'SAFE', partial: false, missing: [], reason: null });
  });

  it.each<[string, RiskInput, number, RiskLevel]>([
    ['all references reached: 10 p/m², surge 2, standstill', { density: 10, surge: 2, velocity: 0 }, 100, 'CRITICAL'],
    ['density above the reference saturates', { density: 12.5, surge: 2, velocity: 0 }, 100, 'CRITICAL'],
    ['half density reference, free walking', { density: 5, surge: 0, velocity: 1.3 }, 20, 'SAFE'],
    ['density reference alone, free walking', { density: 10, surge: 0, velocity: 1.3 }, 40, 'CAUTION'],
    ['faster than free speed counts 0', { density: 10, surge: 0, velocity: 2 }, 40, 'CAUTION'],
    ['falling density is no surge', { density: 10, surge: -1, velocity: 1.3 }, 40, 'CAUTION'],
    ['surge above the reference saturates', { density: 0, surge: 4, velocity: 1.3 }, 30, 'CAUTION'],
    ['WARNING boundary: 5 p/m², surge 1, half free speed', { density: 5, surge: 1, velocity: 0.65 }, 50, 'WARNING'],
    ['standing at Fruin LOS F (2.15 p/m²)', { density: 2.15, surge: 0, velocity: 0 }, 8.6 + 30, 'CAUTION'],
    ['standing mid-ramp (1.615 p/m²): velocity term halved', { density: 1.615, surge: 0, velocity: 0 }, 6.46 + 15, 'SAFE'],
    ['empty hall, people standing: velocity term not counted', { density: 0.5, surge: 0, velocity: 0 }, 2, 'SAFE'],
    ['negative density is clamped to 0', { density: -1, surge: 0, velocity: 0 }, 0, 'SAFE'],
    ['pressure and counter-flow weigh 0 in base', { density: 10, surge: 0, velocity: 1.3, pressure: 1, counterFlowIndex: 1 }, 40, 'CAUTION'],
  ])('%s -> %p', (_n, input, score, level) => {
    const r = computeRisk(input, base);
    expect(r.score).toBeCloseTo(score, 9);
    expect(r.level).toBe(level);
    expect(r.partial).toBe(false);
    expect(r.components.reduce((a, c) => a + c.points, 0)).toBeCloseTo(score, 9);
  });

  it('returns the components for display', () => {
    const r = computeRisk({ density: 5, surge: 1, velocity: 0.65 }, base);
    const by = Object.fromEntries(r.components.map((c) => [c.term, c]));
    expect(by['density']).toMatchObject({ weight: 0.4, raw: 5, norm: 0.5 });
    expect(by['surge']).toMatchObject({ weight: 0.3, raw: 1, norm: 0.5 });
    expect(by['velocity']?.norm).toBeCloseTo(0.5, 12);
    expect(by['pressure']).toMatchObject({ weight: 0, raw: null, norm: null, points: 0 });
  });

  it('no density (uncalibrated camera) -> null score and level with the reason', () => {
    const r = computeRisk({ density: null, surge: 1, velocity: 0 }, base);
    expect(r).toMatchObject({ score: null, level: null, partial: false, missing: ['density'] });
    expect(r.reason).toMatch(/not calibrated/);
  });

  it.each<[string, RiskInput, string[], number]>([
    ['velocity missing', { density: 10, surge: 2 }, ['velocity'], 70],
    ['surge NaN, velocity missing', { density: 10, surge: Number.NaN, velocity: null }, ['surge', 'velocity'], 40],
  ])('%s -> partial lower bound naming the terms', (_n, input, missing, score) => {
    const r = computeRisk(input, base);
    expect(r.partial).toBe(true);
    expect(r.missing).toEqual(missing);
    expect(r.score).toBeCloseTo(score, 9);
    expect(r.reason).toBe(`partial score (lower bound): missing ${missing.join(', ')}`);
  });
});

describe('computeRisk, optional terms (event profiles)', () => {
  it.each<[string, RiskInput, number]>([
    // concert: 0.35 / 0.25 / 0.2 / 0.15 pressure / 0.05 counter-flow
    ['Helbing critical pressure 0.02 at 3 p/m²', { density: 3, surge: 0, velocity: 1.3, pressure: 0.02, counterFlowIndex: 0 }, 10.5 + 15],
    ['half the critical pressure', { density: 3, surge: 0, velocity: 1.3, pressure: 0.01, counterFlowIndex: 0 }, 10.5 + 7.5],
    ['pressure below the density floor counts 0', { density: 1, surge: 0, velocity: 1.3, pressure: 0.05, counterFlowIndex: 0 }, 3.5],
    ['pressure above the reference saturates', { density: 10, surge: 2, velocity: 0, pressure: 1, counterFlowIndex: 1 }, 100],
  ])('concert: %s -> %p', (_n, input, score) => {
    expect(computeRisk(input, concert).score).toBeCloseTo(score, 9);
  });

  it.each<[string, RiskInput, number]>([
    // transit: 0.35 / 0.25 / 0.2 / 0.05 / 0.15; counter-flow reference 0.5
    ['counter-flow 0.25 at 3 p/m² -> norm 0.5', { density: 3, surge: 0, velocity: 1.3, pressure: 0, counterFlowIndex: 0.25 }, 10.5 + 7.5],
    ['counter-flow in an empty hall counts 0', { density: 0.5, surge: 0, velocity: 1.3, pressure: 0, counterFlowIndex: 0.5 }, 1.75],
  ])('transit: %s -> %p', (_n, input, score) => {
    expect(computeRisk(input, transit).score).toBeCloseTo(score, 9);
  });

  it('a weighted optional term that is missing makes the score partial', () => {
    const r = computeRisk({ density: 3, surge: 0, velocity: 1.3 }, concert);
    expect(r.missing).toEqual(['pressure', 'counterFlow']);
    expect(r.score).toBeCloseTo(10.5, 9);
  });
});
