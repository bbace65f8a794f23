import { foldHourOfWeek, localWeekHour } from './analytics.repository';
import { autoInterval, MAX_METRIC_POINTS } from './downsampling';

describe('autoInterval', () => {
  const H = 3600;
  const D = 86_400;
  it.each([
    [0, 1],
    [60, 1],
    [H, 1],
    [H + 1, 10],
    [6 * H, 10],
    [24 * H, 60],
    [3 * D, 60],
    [7 * D, 300],
    [14 * D, 300],
    [30 * D, H],
    [365 * D, 2 * H],
    [1e12, D],
  ])('span %d s -> %d s', (span, interval) => expect(autoInterval(span)).toBe(interval));

  it('keeps every range up to ~27 years within MAX_METRIC_POINTS', () => {
    for (const span of [1, 3599, 3601, 21_601, 259_201, 1_209_601, 400 * 86_400, 20 * 365 * 86_400]) {
      expect(span / autoInterval(span)).toBeLessThanOrEqual(MAX_METRIC_POINTS);
    }
  });
});

describe('localWeekHour', () => {
  it.each([
    ['2025-01-06T00:30:00Z', 'UTC', 0, 0], // a Monday
    ['2025-01-05T23:30:00Z', 'UTC', 6, 23], // Sunday
    ['2025-01-05T23:30:00Z', 'Europe/Berlin', 0, 0], // UTC+1: already Monday
    ['2025-07-01T12:00:00Z', 'America/New_York', 1, 8], // Tuesday, EDT
  ])('%s in %s -> weekday %d hour %d', (iso, tz, weekday, hour) => expect(localWeekHour(new Date(iso), tz)).toEqual({ weekday, hour }));
});

describe('foldHourOfWeek', () => {
  it('no rows -> 168 empty cells', () => {
    const cells = foldHourOfWeek([], 'UTC');
    expect(cells).toHaveLength(168);
    expect(cells.every((c) => c.samples === 0 && c.avg === null && c.peak === null)).toBe(true);
  });

  it.each([
    [
      'two Mondays 10:00 UTC average together',
      [
        { hourStart: new Date('2025-01-06T10:00:00Z'), sum: 3600 * 10, samples: 3600, peak: 14 },
        { hourStart: new Date('2025-01-13T10:00:00Z'), sum: 1800 * 20, samples: 1800, peak: 25 },
      ],
      'UTC',
      { index: 10, avg: 13.333, peak: 25, samples: 5400 },
    ],
    [
      'shifted by the zone',
      [{ hourStart: new Date('2025-01-06T10:00:00Z'), sum: 50, samples: 10, peak: 6 }],
      'Asia/Tokyo', // UTC+9: Monday 19:00
      { index: 19, avg: 5, peak: 6, samples: 10 },
    ],
    ['rows without samples are ignored', [{ hourStart: new Date('2025-01-06T10:00:00Z'), sum: 0, samples: 0, peak: null }], 'UTC', { index: 10, avg: null, peak: null, samples: 0 }],
  ])('%s', (_name, rows, tz, want) => {
    const cell = foldHourOfWeek(rows, tz)[want.index];
    expect(cell).toEqual({ weekday: Math.floor(want.index / 24), hour: want.index % 24, avg: want.avg, peak: want.peak, samples: want.samples });
  });
});
