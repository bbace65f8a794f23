import { METRICS_UNNEST_CHUNK, unnestChunks } from './metrics.repository';

describe('unnestChunks', () => {
  it.each([
    ['no rows', 0, 4, []],
    ['a 1 Hz flush stays one statement', 8, 4, [8]],
    ['below two minimum chunks: one statement', 3_999, 4, [3_999]],
    ['split evenly over 4', 20_000, 4, [5_000, 5_000, 5_000, 5_000]],
    ['never below the minimum chunk', 5_000, 4, [2_500, 2_500]],
    ['never above the unnest chunk', 100_000, 4, Array(10).fill(METRICS_UNNEST_CHUNK)],
    ['one at a time: at most the unnest chunk each', 25_000, 1, [8_334, 8_334, 8_332]],
  ])('%s', (_name, n, parallel, expected) => {
    expect(unnestChunks(n, parallel)).toEqual(expected);
  });

  it.each([
    ['n', -1, 4, /n must be/],
    ['n', 1.5, 4, /n must be/],
    ['parallel', 10, 0, /parallel must be/],
  ])('bad %s is named', (_field, n, parallel, message) => {
    expect(() => unnestChunks(n, parallel)).toThrow(message);
  });
});
