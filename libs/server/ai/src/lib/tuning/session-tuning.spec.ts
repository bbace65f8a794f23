import { type CandidateTiming, cacheMismatch, candidateGrid, median, selectFastest, type TuningCacheEntry, tuningCacheFileName, type TuningKey } from './session-tuning';

const t = (level: CandidateTiming['candidate']['level'], threads: number, medianMs: number, skipped?: string): CandidateTiming => ({
  candidate: { level, threads },
  medianMs,
  minMs: medianMs,
  runsMs: Number.isFinite(medianMs) ? [medianMs] : [],
  createMs: 1,
  ...(skipped ? { skipped } : {}),
});

describe('candidateGrid', () => {
  it.each([
    { name: '1 core', max: 1, forced: {}, expected: ['basic/1', 'extended/1', 'all/1', 'disabled/1'] },
    { name: '2 cores, most threads first', max: 2, forced: {}, expected: ['basic/2', 'basic/1', 'extended/2', 'extended/1', 'all/2', 'all/1', 'disabled/2', 'disabled/1'] },
    { name: 'level forced', max: 3, forced: { level: 'all' as const }, expected: ['all/3', 'all/2', 'all/1'] },
    { name: 'threads forced', max: 4, forced: { threads: 2 }, expected: ['basic/2', 'extended/2', 'all/2', 'disabled/2'] },
    { name: 'both forced', max: 4, forced: { level: 'basic' as const, threads: 3 }, expected: ['basic/3'] },
  ])('$name', ({ max, forced, expected }) => {
    expect(candidateGrid(max, forced).map((c) => `${c.level}/${c.threads}`)).toEqual(expected);
  });

  it('refuses a bound below 1', () => {
    expect(() => candidateGrid(0)).toThrow(RangeError);
  });
});

describe('selectFastest', () => {
  it('compares the best run, not the median (other processes only add time)', () => {
    const noisy = { ...t('basic', 1, 2000), minMs: 700 };
    const steady = { ...t('all', 1, 900), minMs: 850 };
    expect(selectFastest([steady, noisy])?.candidate.level).toBe('basic');
  });

  it.each([
    { name: 'nothing measured', timings: [], expected: undefined },
    { name: 'only failures and skips', timings: [t('all', 1, Infinity, 'error: x'), t('basic', 1, 500, 'slow')], expected: undefined },
    { name: 'the fastest wins', timings: [t('basic', 2, 400), t('all', 2, 2000), t('extended', 1, 390)], expected: 'extended/1' },
    { name: 'a 4.7 s "all" never beats a 0.83 s "basic"', timings: [t('all', 2, 4700), t('basic', 2, 830)], expected: 'basic/2' },
    { name: 'ties within 3 %: fewer threads', timings: [t('basic', 2, 100), t('basic', 1, 102)], expected: 'basic/1' },
    { name: 'ties within 3 %: then the lower level', timings: [t('all', 1, 100), t('basic', 1, 101.5)], expected: 'basic/1' },
    { name: 'beyond 3 % is no tie', timings: [t('basic', 2, 100), t('basic', 1, 110)], expected: 'basic/2' },
    { name: 'skipped candidates never win', timings: [t('basic', 2, 50, 'budget'), t('all', 2, 100)], expected: 'all/2' },
  ])('$name', ({ timings, expected }) => {
    const best = selectFastest(timings);
    expect(best ? `${best.candidate.level}/${best.candidate.threads}` : undefined).toBe(expected);
  });
});

describe('median', () => {
  it.each([
    { values: [], expected: Infinity },
    { values: [3], expected: 3 },
    { values: [5, 1, 3], expected: 3 },
    { values: [4, 1, 3, 2], expected: 2.5 },
  ])('$values -> $expected', ({ values, expected }) => expect(median(values)).toBe(expected));
});

describe('tuning cache keying and invalidation', () => {
  const key: TuningKey = { modelSha256: 'a'.repeat(64), ortVersion: '1.22.0', cpuModel: 'AMD EPYC', cores: 2, inputDims: [1, 3, 576, 1024], maxThreads: 1, forced: {} };
  const entry: TuningCacheEntry = { version: 1, key, choice: { level: 'basic', threads: 1 }, medianMs: 800, measuredAt: '2026-12-07T11:00:00Z', tuningMs: 9000, timings: [] };

  it('one file per model, input shape and thread bound', () => {
    expect(tuningCacheFileName(key)).toBe('aaaaaaaaaaaaaaaa-1x3x576x1024-t1.json');
    expect(tuningCacheFileName({ ...key, maxThreads: 2 })).not.toBe(tuningCacheFileName(key));
  });

  it.each([
    { name: 'no entry', entry: undefined, key, reason: 'no entry' },
    { name: 'unknown format', entry: { version: 2 }, key, reason: 'unknown format' },
    { name: 'the same key: reused', entry, key, reason: undefined },
    { name: 'another model', entry, key: { ...key, modelSha256: 'b'.repeat(64) }, reason: 'model changed' },
    { name: 'onnxruntime upgraded', entry, key: { ...key, ortVersion: '1.23.0' }, reason: 'onnxruntime 1.22.0 -> 1.23.0' },
    { name: 'another CPU', entry, key: { ...key, cpuModel: 'Intel Xeon' }, reason: 'CPU model changed' },
    { name: 'more cores', entry, key: { ...key, cores: 8 }, reason: 'cores 2 -> 8' },
    { name: 'another input shape', entry, key: { ...key, inputDims: [1, 3, 768, 1024] }, reason: 'input shape changed' },
    { name: 'another thread bound', entry, key: { ...key, maxThreads: 2 }, reason: 'thread bound changed' },
    { name: 'an override appeared', entry, key: { ...key, forced: { threads: 1 } }, reason: 'forced options changed' },
    { name: 'a corrupt choice', entry: { ...entry, choice: { level: 'fast', threads: 1 } }, key, reason: 'invalid choice' },
  ])('$name', ({ entry: e, key: k, reason }) => {
    expect(cacheMismatch(e, k)).toBe(reason);
  });
});
