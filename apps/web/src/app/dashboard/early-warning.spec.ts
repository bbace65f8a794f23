import type { LiveRisk } from '@crowdsafe/contracts';
import { forecastBand, forecastText, formatDuration, timeToCritical } from './early-warning';

const risk = (over: Partial<LiveRisk> = {}): LiveRisk => ({ score: 60, level: 'WARNING', partial: false, components: [], ...over });

describe('early warning in the console', () => {
  it.each([
    [null, null],
    [risk(), null],
    [risk({ earlyWarningInS: Number.NaN }), null],
    [risk({ earlyWarningInS: -1 }), null],
    [risk({ level: 'CRITICAL', earlyWarningInS: 10 }), null],
    [risk({ earlyWarningInS: 12.4 }), { inS: 12.4, text: 'CRITICAL in ~12 s', severity: 'imminent' }],
    [risk({ earlyWarningInS: 90 }), { inS: 90, text: 'CRITICAL in ~1 min 30 s', severity: 'soon' }],
  ])('timeToCritical(%p) = %p', (r, expected) => expect(timeToCritical(r)).toEqual(expected));

  it.each([
    [0, '0 s'],
    [59.6, '1 min'],
    [61, '1 min 1 s'],
    [120, '2 min'],
  ])('formatDuration(%d) = %s', (s, t) => expect(formatDuration(s)).toBe(t));

  it('no forecast → no band', () => {
    expect(forecastBand(risk(), 0, 1)).toEqual([]);
    expect(forecastBand(null, 0, 1)).toEqual([]);
    expect(forecastText([])).toBeNull();
  });

  it('a band from the last second to +2 and +5 min with the 95 % interval', () => {
    const pts = forecastBand(risk({ forecast: { in120s: 1.8, in300s: 2.4, interval120s: [1.5, 2.1], interval300s: [1.7, 3.1] } }), 1_000_000, 1.2);
    expect(pts).toEqual([
      { t: 1_000_000, v: 1.2, lo: 1.2, hi: 1.2 },
      { t: 1_120_000, v: 1.8, lo: 1.5, hi: 2.1 },
      { t: 1_300_000, v: 2.4, lo: 1.7, hi: 3.1 },
    ]);
    expect(forecastText(pts)).toBe('2 min 1.80 (1.50–2.10) · 5 min 2.40 (1.70–3.10) p/m²');
  });

  it('without an interval (older server) or a current density, the band is the mean only', () => {
    const pts = forecastBand(risk({ forecast: { in120s: 1, in300s: 2 } }), 0, null);
    expect(pts).toEqual([
      { t: 120_000, v: 1, lo: 1, hi: 1 },
      { t: 300_000, v: 2, lo: 2, hi: 2 },
    ]);
    expect(forecastText(pts)).toBe('2 min 1.00 · 5 min 2.00 p/m²');
  });
});
