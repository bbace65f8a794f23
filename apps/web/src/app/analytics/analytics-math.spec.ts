import type { MetricPoint } from '@crowdsafe/web-data-access';
import { bucketSeconds, busyHoursFromPoints, heatColor, summaryFromPoints, timeLabel } from './analytics-math';

const pt = (time: string, over: Partial<MetricPoint> = {}): MetricPoint =>
  ({ time, count: null, countMax: null, density: null, riskScore: null, riskLevel: null, flowIn: null, flowOut: null, ...over }) as MetricPoint;

describe('analytics math', () => {
  it.each([
    [0, 1],
    [60_000, 1],
    [3_600_000, 6],
    [24 * 3_600_000, 144],
    [7 * 24 * 3_600_000, 1008],
  ])('bucketSeconds(%d ms) = %d s (≤ 600 points)', (ms, s) => expect(bucketSeconds(ms)).toBe(s));

  it('summary of no points', () => {
    expect(summaryFromPoints([], 0, 3_600_000, 60)).toEqual({
      avgCount: null,
      peakCount: null,
      peakDensity: null,
      peakDensityAt: null,
      avgRisk: null,
      uptimePct: 0,
      flowIn: 0,
      flowOut: 0,
      timeAtLevel: {},
    });
  });

  it('summary: means, peaks (countMax wins), flows, time per level, uptime capped at 100 %', () => {
    const pts = [
      pt('2026-01-01T00:00:00Z', { count: 10, countMax: 14, density: 1.5, riskScore: 20, riskLevel: 'SAFE', flowIn: 3, flowOut: 1 }),
      pt('2026-01-01T00:01:00Z', { count: 20, density: 2.5, riskScore: 40, riskLevel: 'CAUTION', flowIn: 2 }),
      pt('2026-01-01T00:02:00Z', { count: Number.NaN, riskLevel: 'CAUTION' }),
    ];
    const s = summaryFromPoints(pts, 0, 120_000, 60);
    expect(s).toMatchObject({ avgCount: 15, peakCount: 20, peakDensity: 2.5, peakDensityAt: '2026-01-01T00:01:00Z', avgRisk: 30, flowIn: 5, flowOut: 1, uptimePct: 100 });
    expect(s.timeAtLevel).toEqual({ SAFE: 60, CAUTION: 120 });
    expect(summaryFromPoints(pts.slice(0, 1), 0, 600_000, 60).peakCount).toBe(14);
    expect(summaryFromPoints(pts.slice(0, 1), 0, 600_000, 60).uptimePct).toBe(10);
  });

  it('busy hours: Monday-first weekday × hour averages in local time, skipping gaps', () => {
    const mon9 = new Date(2026, 0, 5, 9, 30).toISOString(); // 5 Jan 2026 is a Monday
    const sun23 = new Date(2026, 0, 11, 23, 0).toISOString();
    const grid = busyHoursFromPoints([pt(mon9, { count: 10 }), pt(mon9, { count: 20 }), pt(sun23, { count: 4, density: 0.5 }), pt(sun23)], 'count').grid;
    expect(grid).toHaveLength(7);
    expect(grid[0][9]).toBe(15);
    expect(grid[6][23]).toBe(4);
    expect(grid[3][12]).toBeNull();
    expect(busyHoursFromPoints([pt(sun23, { count: 4, density: 0.5 })], 'density').grid[6][23]).toBe(0.5);
  });

  it.each([
    [-1, 'hsl(220 85% 45%)'],
    [0, 'hsl(220 85% 45%)'],
    [0.5, 'hsl(110 85% 55%)'],
    [1, 'hsl(0 85% 45%)'],
    [2, 'hsl(0 85% 45%)'],
  ])('heatColor(%d) = %s', (t, c) => expect(heatColor(t)).toBe(c));

  it('time labels: clock time up to 24 h, weekday beyond', () => {
    const iso = new Date(2026, 0, 5, 9, 30).toISOString();
    expect(timeLabel(iso, 3_600_000)).toMatch(/09:30/);
    expect(timeLabel(iso, 24 * 3_600_000)).toMatch(/09:30/);
    expect(timeLabel(iso, 7 * 24 * 3_600_000)).toMatch(/Mon/);
  });
});
