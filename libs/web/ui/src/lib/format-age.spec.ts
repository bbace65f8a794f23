import { formatAge, formatNumber } from './format-age';

describe('formatAge', () => {
  it.each([
    [-5, '0.0 s ago'],
    [0, '0.0 s ago'],
    [400, '0.4 s ago'],
    [12_300, '12 s ago'],
    [180_000, '3 min ago'],
    [7_300_000, '2 h ago'],
  ])('%d ms → %s', (ms, text) => expect(formatAge(ms)).toBe(text));
});

describe('formatNumber', () => {
  it.each([
    [null, 2, '–'],
    [undefined, 2, '–'],
    [Number.NaN, 2, '–'],
    [Number.POSITIVE_INFINITY, 1, '–'],
    [1.234, 2, '1.23'],
    [3, 0, '3'],
  ])('%p (%d digits) → %s', (n, d, text) => expect(formatNumber(n as number | null, d)).toBe(text));
});
