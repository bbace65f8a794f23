import { applyHomography, fitHomography, hartleyTransform } from './homography';
import type { Vec2 } from './types';
import { gaussian, pinholeCamera, prng } from '../testing/synthetic';
import { inv3, svdJacobi } from './linalg';

describe('homography', () => {
  it('svdJacobi finds singular values of a known matrix', () => {
    // diag(3, 2, 1) rotated: singular values are invariant.
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    const a = [3 * c, -2 * s, 0, 3 * s, 2 * c, 0, 0, 0, 1];
    const { s: sv } = svdJacobi(a, 3, 3);
    expect(Array.from(sv)).toEqual([expect.closeTo(3, 12), expect.closeTo(2, 12), expect.closeTo(1, 12)]);
  });

  it('hartleyTransform: null for coincident points, mean distance sqrt(2) otherwise', () => {
    expect(hartleyTransform([[1, 1], [1, 1]])).toBeNull();
    const t = hartleyTransform([[0, 0], [2, 0], [2, 2], [0, 2]]) as number[];
    const d = Math.hypot(t[0] * 0 + t[2], t[4] * 0 + t[5]);
    expect(d).toBeCloseTo(Math.SQRT2, 12);
  });

  it('applyHomography returns null behind the horizon', () => {
    expect(applyHomography([1, 0, 0, 0, 1, 0, 0, 1, -5], 0, 0)).toBeNull();
    expect(applyHomography([1, 0, 0, 0, 1, 0, 0, 0, 1], 3, 4)).toEqual([3, 4]);
  });

  it.each<[string, number]>([
    ['4 exact points', 4],
    ['9 exact points', 9],
  ])('recovers a known perspective transform from %s', (_n, count) => {
    const cam = pinholeCamera();
    const all: Vec2[] = [[-3, 1], [4, 2], [5, 12], [-4, 11], [0, 6], [2, 4], [-2, 8], [3, 9], [-1, 3]];
    const world = all.slice(0, count);
    const image = world.map(([x, y]) => cam.project(x, y, 0));
    const fit = fitHomography(image, world);
    expect(fit).not.toBeNull();
    const truth = inv3(cam.groundToImage) as number[];
    const scale = truth[8] / (fit?.h[8] ?? 1);
    fit?.h.forEach((e, k) => expect(e * scale).toBeCloseTo(truth[k], 9));
    // And maps fresh points exactly.
    const g = applyHomography(fit?.h ?? [], ...cam.project(1.234, 7.89, 0));
    expect(g?.[0]).toBeCloseTo(1.234, 9);
    expect(g?.[1]).toBeCloseTo(7.89, 9);
  });

  it('least squares over noisy points stays close to the truth', () => {
    const cam = pinholeCamera();
    const rand = prng(7);
    const world: Vec2[] = [];
    for (let i = 0; i < 30; i++) world.push([-5 + 10 * rand(), 1 + 12 * rand()]);
    const image = world.map(([x, y]) => {
      const [u, v] = cam.project(x, y, 0);
      return [u + 0.5 * gaussian(rand), v + 0.5 * gaussian(rand)] as Vec2;
    });
    const fit = fitHomography(image, world);
    const g = applyHomography(fit?.h ?? [], ...cam.project(0, 6, 0));
    expect(Math.hypot((g?.[0] ?? 99) - 0, (g?.[1] ?? 99) - 6)).toBeLessThan(0.02);
  });
});
