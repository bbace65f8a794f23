import { decimate, lineChartSvg, niceStep } from './svg-chart';

describe('niceStep', () => {
  it.each([
    [0, 1],
    [4, 1],
    [9, 5],
    [200, 50],
    [0.3, 0.1],
  ])('span %d -> %d', (span, step) => expect(niceStep(span)).toBeCloseTo(step));
});

describe('decimate', () => {
  const t = (n: number) => Array.from({ length: n }, (_, i) => new Date(i * 60_000));
  it('leaves short series alone (empty first)', () => {
    expect(decimate([], [], 10)).toEqual({ times: [], values: [] });
    expect(decimate(t(3), [1, 2, 3], 10).values).toEqual([1, 2, 3]);
  });
  it('keeps the peak of a long series within the point budget', () => {
    const values = Array.from({ length: 10_080 }, (_, i) => (i === 5000 ? 999 : i % 7));
    const d = decimate(t(values.length), values, 1000);
    expect(d.values.length).toBeLessThanOrEqual(1000);
    expect(Math.max(...d.values.map((v) => v ?? 0))).toBe(999);
  });
});

describe('lineChartSvg', () => {
  it('renders axes, one path per series, legend, marker and escapes text', () => {
    const times = [new Date(2026, 0, 1, 10), new Date(2026, 0, 1, 11), new Date(2026, 0, 1, 12)];
    const svg = lineChartSvg({ title: 'People <Gate A>', times, unit: 'people', series: [{ name: 'count', color: '#1565c0', values: [1, null, 30] }, { name: 'max', color: '#e65100', values: [2, 5, 40] }], marker: { at: times[1] as Date, label: 'trigger' } });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('People &lt;Gate A&gt;');
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('trigger');
    expect(svg).toContain('>40<'); // y axis reaches the maximum
  });
  it('an empty chart is still a valid svg', () => {
    expect(lineChartSvg({ title: 'none', times: [], series: [] })).toMatch(/^<svg[\s\S]*<\/svg>$/);
  });
});
