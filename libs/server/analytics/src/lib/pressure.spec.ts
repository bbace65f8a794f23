import { PressureField, type PressureOptions } from './pressure';
import type { GridGeometry } from './types';
import { gaussian, lattice, prng } from '../testing/synthetic';

const grid: GridGeometry = { space: 'ground', originX: 0, originY: 0, cell: 0.5, cols: 40, rows: 40 }; // 20 m x 20 m
const opts: PressureOptions = { radiusM: 1, cutoff: 3, mode: 'spatial', temporalTauMs: 10000, minWeight: 0.05 };

interface People {
  x: number[];
  y: number[];
  vx: number[];
  vy: number[];
  valid: number[];
}

function people(pos: ReadonlyArray<readonly [number, number]>, vel: (i: number) => [number, number]): People {
  const p: People = { x: [], y: [], vx: [], vy: [], valid: [] };
  pos.forEach(([x, y], i) => {
    const [vx, vy] = vel(i);
    p.x.push(x);
    p.y.push(y);
    p.vx.push(vx);
    p.vy.push(vy);
    p.valid.push(1);
  });
  return p;
}

function run(f: PressureField, p: People, dtMs = 100): void {
  f.compute(p.x.length, p.x, p.y, p.vx, p.vy, p.valid, dtMs);
}

/** The definition, evaluated directly (full kernel, no truncation). */
function reference(p: People, cx: number, cy: number, r: number) {
  let rho = 0;
  let sx = 0;
  let sy = 0;
  const w = p.x.map((x, j) => Math.exp(-((x - cx) ** 2 + (p.y[j] - cy) ** 2) / (r * r)) / (Math.PI * r * r));
  w.forEach((wj, j) => {
    rho += wj;
    sx += wj * p.vx[j];
    sy += wj * p.vy[j];
  });
  const V = [sx / rho, sy / rho];
  let s = 0;
  w.forEach((wj, j) => (s += wj * ((p.vx[j] - V[0]) ** 2 + (p.vy[j] - V[1]) ** 2)));
  const variance = s / rho;
  return { rho, V, variance, pressure: rho * variance };
}

describe('PressureField (Helbing crowd pressure)', () => {
  it('empty: every field is 0', () => {
    const f = new PressureField(grid, opts);
    run(f, people([], () => [0, 0]));
    expect(f.maxima()).toEqual({ maxPressure: 0, maxCell: -1, maxDensity: 0 });
    for (const a of [f.density, f.vx, f.vy, f.variance, f.pressure]) expect(a.every((v) => v === 0)).toBe(true);
  });

  it('rigid motion (all the same velocity) gives zero pressure', () => {
    const rand = prng(1);
    const pos = Array.from({ length: 300 }, () => [2 + 16 * rand(), 2 + 16 * rand()] as [number, number]);
    const f = new PressureField(grid, opts);
    run(f, people(pos, () => [1.3, -0.4]));
    expect(f.maxima().maxPressure).toBeLessThan(1e-12);
    expect(f.maxima().maxDensity).toBeGreaterThan(0.5);
  });

  it('matches the definition rho * Var(v) cell by cell', () => {
    const rand = prng(2);
    const pos = Array.from({ length: 60 }, () => [5 + 10 * rand(), 5 + 10 * rand()] as [number, number]);
    const p = people(pos, () => [1 + 0.5 * gaussian(rand), 0.3 * gaussian(rand)]);
    const f = new PressureField(grid, { ...opts, cutoff: 7, minWeight: 0 });
    run(f, p);
    let checked = 0;
    for (const c of [0, 410, 820, 830, 1000, 1234, 1599]) {
      const [cx, cy] = f.cellCentre(c);
      const ref = reference(p, cx, cy, 1);
      if (ref.rho < 1e-6) continue;
      checked++;
      expect(f.density[c]).toBeCloseTo(ref.rho, 10);
      expect(f.vx[c]).toBeCloseTo(ref.V[0], 8);
      expect(f.vy[c]).toBeCloseTo(ref.V[1], 8);
      expect(f.variance[c]).toBeCloseTo(ref.variance, 8);
      expect(f.pressure[c]).toBeCloseTo(ref.pressure, 8);
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  });

  it.each<[number]>([[0.5], [1], [2]])('pressure scales with the velocity variance: deviations x %f -> pressure x its square', (k) => {
    const rand = prng(3);
    const pos = Array.from({ length: 80 }, () => [5 + 10 * rand(), 5 + 10 * rand()] as [number, number]);
    const dev = pos.map(() => [gaussian(rand), gaussian(rand)]);
    const base = new PressureField(grid, opts);
    run(base, people(pos, (i) => [1 + 0.2 * dev[i][0], 0.2 * dev[i][1]]));
    const scaled = new PressureField(grid, opts);
    run(scaled, people(pos, (i) => [1 + 0.2 * k * dev[i][0], 0.2 * k * dev[i][1]]));
    expect(scaled.maxima().maxPressure).toBeCloseTo(base.maxima().maxPressure * k * k, 10);
  });

  it('uniform lattice: local density within 2 % and checkerboard +-u gives P = rho u² in the interior', () => {
    const pos = lattice(1600, 0.5, 10, 10); // 40 x 40 people at 0.5 m: 4 p/m² over 20 m x 20 m
    const u = 0.5;
    const f = new PressureField(grid, opts);
    run(f, people(pos, (i) => [((i % 40) + Math.floor(i / 40)) % 2 === 0 ? u : -u, 0]));
    for (let j = 8; j < 32; j++) {
      for (let i = 8; i < 32; i++) {
        const c = j * 40 + i;
        expect(Math.abs(f.density[c] - 4) / 4).toBeLessThan(0.02);
        expect(Math.abs(f.variance[c] - u * u) / (u * u)).toBeLessThan(0.02);
        expect(Math.abs(f.pressure[c] - 4 * u * u) / (4 * u * u)).toBeLessThan(0.03);
      }
    }
  });

  it('temporal mode: steady flow -> 0; a flow that keeps reversing -> rho * Var_t(V)', () => {
    const pos = lattice(400, 0.5, 10, 10);
    const steady = new PressureField(grid, { ...opts, mode: 'temporal' });
    for (let k = 0; k < 50; k++) run(steady, people(pos, () => [1, 0.2]));
    expect(steady.maxima().maxPressure).toBeLessThan(1e-12);
    const wobble = new PressureField(grid, { ...opts, mode: 'temporal', temporalTauMs: 1000 });
    for (let k = 0; k < 150; k++) run(wobble, people(pos, () => [k % 2 === 0 ? 0.5 : -0.5, 0]));
    // V alternates +-0.5 around U ~ 0: Var_t -> 0.25, at the centre rho ~ 4.
    const centre = 20 * 40 + 20;
    expect(wobble.variance[centre]).toBeGreaterThan(0.2);
    expect(wobble.variance[centre]).toBeLessThan(0.3);
    expect(wobble.maxima().maxPressure).toBeGreaterThan(0.8);
  });
});
