import { parseEvalForecastArgs, parseHorizons } from './options';
import { markdownTable, pct, resultRows, sig3 } from './report';
import type { BacktestRow } from './backtest';

const DEFAULTS = { videos: [], horizons: [2, 5, 10], fps: 5, warmupS: 1, syntheticHorizons: [120, 300], seeds: 20, synthetic: true, videosOn: true, help: false };

describe('parseEvalForecastArgs', () => {
  it.each([
    { name: 'empty: the shared clips, default horizons', argv: [], expected: DEFAULTS },
    { name: 'videos with and without a camera.json', argv: ['a.mp4,cam.json', 'b.mp4'], expected: { ...DEFAULTS, videos: [{ path: 'a.mp4', config: 'cam.json' }, { path: 'b.mp4' }] } },
    {
      name: 'every option',
      argv: ['--horizons', '10,2', '--fps=2.5', '--warmup', '0', '--model', 'm.onnx', '--synthetic-horizons', '300', '--seeds', '3', '--noise-sigma', '0.02', '--noise-cv', '0.1', '--noise-phi', '0.5', '--no-synthetic', '--json', 'o.json', 'v.mp4'],
      expected: { ...DEFAULTS, videos: [{ path: 'v.mp4' }], horizons: [2, 10], fps: 2.5, warmupS: 0, model: 'm.onnx', syntheticHorizons: [300], seeds: 3, noiseSigma: 0.02, noiseCv: 0.1, noisePhi: 0.5, synthetic: false, json: 'o.json' },
    },
    { name: 'synthetic only', argv: ['--synthetic-only'], expected: { ...DEFAULTS, videosOn: false } },
    { name: 'help', argv: ['-h'], expected: { ...DEFAULTS, help: true } },
  ])('$name', ({ argv, expected }) => {
    expect(parseEvalForecastArgs(argv)).toEqual(expected);
  });

  it.each([
    { name: 'unknown option', argv: ['--horizon', '2'], error: /^unknown option --horizon/ },
    { name: 'missing value', argv: ['--fps'], error: '--fps needs a value' },
    { name: 'fps out of range', argv: ['--fps', '0'], error: "--fps must be a number in [0.5, 60], got '0'" },
    { name: 'fractional seeds', argv: ['--seeds', '1.5'], error: "--seeds must be an integer in [1, 200], got '1.5'" },
    { name: 'phi of 1', argv: ['--noise-phi', '1'], error: "--noise-phi must be a number in [-0.99, 0.99], got '1'" },
    { name: 'nothing to do', argv: ['--no-synthetic', '--synthetic-only'], error: '--no-synthetic and --synthetic-only leave nothing to evaluate' },
    { name: 'videos with --synthetic-only', argv: ['--synthetic-only', 'v.mp4'], error: '--synthetic-only takes no videos' },
    { name: 'empty camera.json', argv: ['v.mp4,'], error: "bad video 'v.mp4,': expected video or video,camera.json" },
  ])('rejects $name', ({ argv, error }) => {
    expect(() => parseEvalForecastArgs(argv)).toThrow(error);
  });
});

describe('parseHorizons', () => {
  it.each([
    { value: '', error: true },
    { value: '5', expected: [5] },
    { value: '10, 2,5', expected: [2, 5, 10] },
    { value: '0', error: true },
    { value: '1.5', error: true },
    { value: '3601', error: true },
    { value: '2,,5', error: true },
    { value: '1,2,3,4,5,6,7,8,9,10,11', error: true },
  ])("'$value'", ({ value, expected, error }) => {
    if (error) expect(() => parseHorizons('--horizons', value)).toThrow(`--horizons must be 1-10 comma-separated whole seconds in [1, 3600], got '${value}'`);
    else expect(parseHorizons('--horizons', value)).toEqual(expected);
  });

  it('rejects a repeated horizon', () => {
    expect(() => parseHorizons('--horizons', '2,2')).toThrow("--horizons lists a horizon twice: '2,2'");
  });
});

describe('report formatting', () => {
  it.each([
    { v: null, s: '—', p: '—' },
    { v: 0, s: '0', p: '0 %' },
    { v: 1e-16, s: '<1e-12', p: '0 %' },
    { v: 0.123456, s: '0.123', p: '12 %' },
    { v: 1234.5, s: '1230', p: '123450 %' },
  ])('$v', ({ v, s, p }) => {
    expect(sig3(v)).toBe(s);
    expect(pct(v)).toBe(p);
  });

  it('markdownTable', () => {
    expect(markdownTable(['a', 'b'], [])).toBe('| a | b |\n| --- | --- |');
    expect(markdownTable(['a', 'b'], [['1', '2']])).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |');
  });

  it('resultRows: empty, a too-short horizon, MAE with its share of the level', () => {
    expect(resultRows('x', 1, [])).toEqual([]);
    const st = (n: number, mae: number | null, coverage: number | null = null) => ({ n, mae, rmse: mae, bias: mae === null ? null : -mae, coverage });
    const rows: BacktestRow[] = [
      { horizonS: 2, method: 'theil-sen', stats: st(3, 0.05, 0.9) },
      { horizonS: 2, method: 'persistence', stats: st(3, 0.1) },
      { horizonS: 2, method: 'mean', stats: st(3, 0.2) },
      { horizonS: 60, method: 'theil-sen', stats: st(0, null) },
      { horizonS: 60, method: 'persistence', stats: st(0, null) },
      { horizonS: 60, method: 'mean', stats: st(0, null) },
    ];
    expect(resultRows('clip', 0.5, rows)).toEqual([
      ['clip', '2', '3', '0.05 (10 %)', '0.05', '90 %', '-0.05', '0.1 (20 %)', '0.1', '0.2 (40 %)', '0.2'],
      ['clip', '60', '0', 'clip too short', '', '', '', '', '', '', ''],
    ]);
  });
});
