import { BusyHoursAccumulator, OccupancyHeatmap } from './heatmap';
import type { GridGeometry } from './types';

const grid: GridGeometry = { space: 'ground', originX: 0, originY: 0, cell: 0.5, cols: 4, rows: 4 };

describe('OccupancyHeatmap', () => {
  it('empty frames leave zeros', () => {
    const h = new OccupancyHeatmap(grid, 10000);
    h.add(0, [], [], 1000);
    expect(Array.from(h.live).every((v) => v === 0)).toBe(true);
  });

  it('approaches the occupancy with the configured half-life (people/m²) and accumulates person-seconds', () => {
    const h = new OccupancyHeatmap(grid, 10000);
    // One person in cell (0, 0) for 10 s in 100 ms frames: live = 4 p/m² * (1 - 2^-1) = 2.
    for (let k = 0; k < 100; k++) h.add(1, [0.25], [0.25], 100);
    expect(h.live[0]).toBeCloseTo(2, 9);
    expect(h.total[0]).toBeCloseTo(10, 9);
    // Then empty for 10 s: halves.
    for (let k = 0; k < 100; k++) h.add(0, [], [], 100);
    expect(h.live[0]).toBeCloseTo(1, 9);
    expect(h.cellOf(-1, 0)).toBe(-1);
    expect(h.cellOf(1.99, 1.99)).toBe(15);
  });
});

describe('BusyHoursAccumulator', () => {
  // 2024-01-01 was a Monday.
  const mon0900utc = Date.UTC(2024, 0, 1, 9, 0, 0);
  it.each<[string, string, number | null, number, number]>([
    ['UTC', 'UTC', null, mon0900utc, 9],
    ['fixed +60 min', 'x', 60, mon0900utc, 10],
    ['fixed -600 min crosses to Sunday', 'x', -600, mon0900utc, 6 * 24 + 23],
    ['Europe/Paris in winter', 'Europe/Paris', null, mon0900utc, 10],
    ['Europe/Paris in summer', 'Europe/Paris', null, Date.UTC(2024, 6, 1, 9, 0, 0), 11],
    ['America/New_York', 'America/New_York', null, mon0900utc, 4],
  ])('bucket index: %s', (_n, tz, offset, t, idx) => {
    expect(new BusyHoursAccumulator(tz, offset).bucketOf(t)).toBe(idx);
  });

  it('accumulates person-seconds, observed seconds and peaks in 168 buckets; restore round-trips', () => {
    const b = new BusyHoursAccumulator('UTC', null);
    for (let k = 0; k < 3600; k++) b.add(mon0900utc + k * 1000, 1000, k === 100 ? 50 : 10);
    const s = b.snapshot();
    expect(s.buckets).toHaveLength(168);
    expect(s.buckets[9]).toEqual({ personSeconds: 10 * 3599 + 50, observedSeconds: 3600, peakCount: 50 });
    const c = new BusyHoursAccumulator('UTC', null);
    c.restore(s);
    expect(c.snapshot()).toEqual(s);
    c.restore({ timeZone: 'UTC', buckets: [] });
    expect(c.snapshot()).toEqual(s);
  });
});
