import { directionStats } from './direction';
import { gaussian, prng } from '../testing/synthetic';

function build(headingsDeg: number[], speed = 1.2) {
  const vx = headingsDeg.map((h) => speed * Math.cos((h * Math.PI) / 180));
  const vy = headingsDeg.map((h) => speed * Math.sin((h * Math.PI) / 180));
  return { vx, vy, sp: headingsDeg.map(() => speed) };
}

describe('directionStats', () => {
  it('empty: no heading, zeros', () => {
    const r = directionStats([], [], [], 0, 0.3, 16);
    expect(r).toEqual({
      available: true,
      movingCount: 0,
      histogram: new Array(16).fill(0),
      dominantHeadingDeg: null,
      counterFlowIndex: 0,
      chaoticIndex: 0,
    });
  });

  it.each<[string, number[], number | null, number, number]>([
    // name, headings, dominant, counter-flow, chaotic (circular variance)
    ['all east', [0, 0, 0, 0], 0, 0, 0],
    ['all north', [90, 90], 90, 0, 0],
    ['70/30 opposed', [...new Array(70).fill(30), ...new Array(30).fill(210)], 30, 0.3, 0.6],
    // Ties go to the lowest bin; the refinement window is strictly within 90 degrees of the peak.
    ['50/50 crossing at right angles', [...new Array(5).fill(0), ...new Array(5).fill(90)], 0, 0, 1 - Math.SQRT1_2],
    // 7 of 16 headings are more than 90 degrees from the (tied) peak at 0.
    ['uniform 16 directions', Array.from({ length: 16 }, (_, k) => k * 22.5), 0, 7 / 16, 1],
  ])('%s', (_n, headings, dominant, counter, chaos) => {
    const { vx, vy, sp } = build(headings);
    const r = directionStats(vx, vy, sp, headings.length, 0.3, 16);
    expect(r.movingCount).toBe(headings.length);
    expect(r.histogram.reduce((a, b) => a + b, 0)).toBe(headings.length);
    if (dominant !== null) expect(r.dominantHeadingDeg).toBeCloseTo(dominant, 9);
    expect(r.counterFlowIndex).toBeCloseTo(counter, 9);
    expect(r.chaoticIndex).toBeCloseTo(chaos, 9);
  });

  it('70/30 opposed groups with +-15 degree scatter: counter-flow 0.3', () => {
    const rand = prng(11);
    const headings = [
      ...Array.from({ length: 70 }, () => 90 + 7 * gaussian(rand)),
      ...Array.from({ length: 30 }, () => 270 + 7 * gaussian(rand)),
    ];
    const { vx, vy, sp } = build(headings);
    const r = directionStats(vx, vy, sp, headings.length, 0.3, 8);
    expect(r.counterFlowIndex).toBeCloseTo(0.3, 9);
    expect(Math.abs((r.dominantHeadingDeg ?? 0) - 90)).toBeLessThan(3);
  });

  it('ignores people slower than the moving speed', () => {
    const { vx, vy } = build([0, 180]);
    const r = directionStats(vx, vy, [1, 0.1], 2, 0.3, 8);
    expect(r.movingCount).toBe(1);
    expect(r.counterFlowIndex).toBe(0);
  });
});
