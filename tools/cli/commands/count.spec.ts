import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listImages, parseArgs } from './count';

describe('count CLI arguments', () => {
  it('defaults: auto, max side 1024, confidence 0.25', () => {
    const a = parseArgs(['a.jpg']);
    expect(a).toMatchObject({ inputs: ['a.jpg'], method: 'auto', maxSide: 1024, confidence: 0.25, threads: 0, tileSize: 0, quiet: false });
    expect(a.json).toBeUndefined();
  });

  it('reads every option, as --flag value and --flag=value', () => {
    const a = parseArgs(['x', '--method', 'fused', '--max-side=640', '--json', 'o.json', '--confidence', '0.3', '--threads=1', '--tile-size', '384', '--quiet', 'y']);
    expect(a).toMatchObject({ inputs: ['x', 'y'], method: 'fused', maxSide: 640, json: 'o.json', confidence: 0.3, threads: 1, tileSize: 384, quiet: true });
  });

  it.each([
    [[], /no images given/],
    [['a', '--method', 'magic'], /--method must be one of detection, tiled, scheduled, density, fused, auto/],
    [['a', '--max-side', '-1'], /--max-side needs an integer >= 0/],
    [['a', '--max-side', '1.5'], /--max-side needs an integer/],
    [['a', '--confidence', '2'], /--confidence needs a number >= 0 and <= 1/],
    [['a', '--json'], /--json needs a file name/],
    [['a', '--bogus'], /unknown option --bogus/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv as string[])).toThrow(message);
  });
});

describe('listImages', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'count-'));
    for (const f of ['IMG_10.jpg', 'IMG_2.JPG', 'IMG_1.png', 'notes.txt']) writeFileSync(join(dir, f), '');
    mkdirSync(join(dir, 'empty'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('expands a directory to its images in natural order, keeps files as given', () => {
    expect(listImages([dir, join(dir, 'notes.txt')]).map((p) => p.slice(dir.length + 1))).toEqual(['IMG_1.png', 'IMG_2.JPG', 'IMG_10.jpg', 'notes.txt']);
  });

  it('refuses a missing path and a directory without images', () => {
    expect(() => listImages([join(dir, 'nope')])).toThrow(/no such file or directory/);
    expect(() => listImages([join(dir, 'empty')])).toThrow(/no images/);
  });
});
