// `crowdsafe eval` on the real shared data: the pure MAT-file reader against annotations.json (the JSON conversion
// of the same .mat files), and the CLI end to end (exit codes, tables, --json) on MOTChallenge ground truth.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCountGroundTruth, shanghaiTechGtFromMat } from '@crowdsafe/vision';
import { loadCountGroundTruth } from './eval';

jest.setTimeout(60000);

const ROOT = resolve(__dirname, '..', '..', '..');
const DATA = process.env.CROWDSAFE_SHARED_DATA ? resolve(process.env.CROWDSAFE_SHARED_DATA) : resolve(ROOT, '..', 'shared', 'data');
const PART_B = join(DATA, 'crowd_counting', 'shanghaitech', 'part_B_train_60');
const TUD = join(DATA, 'mot', 'TUD-Campus');
const MOT17 = join(DATA, 'mot', 'MOT17-02-FRCNN_frames1-4');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', './tools/ts-register.js', 'tools/cli/main.ts', 'eval', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ShanghaiTech GT_IMG_n.mat reader (real files)', () => {
  const annotations = parseCountGroundTruth(JSON.parse(readFileSync(join(PART_B, 'annotations.json'), 'utf8')));

  it('GT_IMG_1.mat holds the same 234 head points as annotations.json (which rounds to 2 decimals)', () => {
    const mat = shanghaiTechGtFromMat(readFileSync(join(PART_B, 'ground_truth', 'GT_IMG_1.mat')));
    const ann = annotations.find((a) => a.image === 'images/IMG_1.jpg');
    expect(mat.count).toBe(234);
    expect(ann?.count).toBe(234);
    expect(mat.points[0][0]).toBeCloseTo(32.67954877, 8);
    mat.points.forEach(([x, y], i) => {
      const [ax, ay] = ann?.points?.[i] ?? [NaN, NaN];
      expect(Math.abs(x - ax)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(y - ay)).toBeLessThanOrEqual(0.005 + 1e-9);
    });
  });

  it('all 60 .mat files agree with annotations.json (counts exactly, points to the rounding)', () => {
    const { images } = loadCountGroundTruth(join(PART_B, 'ground_truth'));
    expect(images).toHaveLength(60);
    const byName = new Map(annotations.map((a) => [a.image.replace(/^images\//, ''), a]));
    for (const img of images) {
      const ann = byName.get(img.image);
      expect([img.image, img.count]).toEqual([img.image, ann?.count]);
      img.points?.forEach(([x, y], i) => {
        const [ax, ay] = ann?.points?.[i] ?? [NaN, NaN];
        expect(Math.max(Math.abs(x - ax), Math.abs(y - ay))).toBeLessThanOrEqual(0.005 + 1e-9);
      });
    }
  });
});

describe('crowdsafe eval (CLI)', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crowdsafe-eval-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('TUD-Campus gt against itself: MOTA 1, IDF1 1 (seqinfo found next to gt/), --json written', () => {
    const out = join(dir, 'tud.json');
    const r = cli('mot', '--gt', join(TUD, 'gt', 'gt.txt'), '--pred', join(TUD, 'gt', 'gt.txt'), '--json', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/MOTA\s+1\.000/);
    expect(r.stdout).toMatch(/IDF1\s+1\.000/);
    expect(r.stdout).toContain('TUD-Campus, seqLength 71, 640x480');
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.metrics).toMatchObject({ gtFormat: 'mot15', frames: 71, gtBoxes: 359, gtIds: 8, mota: 1, idf1: 1, idsw: 0 });
  });

  it('--fps 5: only the frames a 5 fps camera processes are scored (1, 6, ..., 71 of the 25 fps sequence)', () => {
    // Predictions = the gt of those frames only: perfect at 5 fps; without --fps the other 56 frames are all misses.
    const gtText = readFileSync(join(TUD, 'gt', 'gt.txt'), 'utf8');
    const sub = join(dir, 'tud-5fps.txt');
    writeFileSync(sub, gtText.split('\n').filter((l) => l && (Number(l.split(',')[0]) - 1) % 5 === 0).join('\n'));
    const out = join(dir, 'tud5.json');
    const r = cli('mot', '--gt', join(TUD, 'gt', 'gt.txt'), '--pred', sub, '--fps', '5', '--json', out);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('scoring the frames processed at 5 fps of a 25 fps sequence');
    const m = JSON.parse(readFileSync(out, 'utf8')).metrics;
    expect(m).toMatchObject({ mota: 1, idf1: 1 });
    expect(m.gtBoxes).toBeLessThan(359 / 4);
    const all = cli('mot', '--gt', join(TUD, 'gt', 'gt.txt'), '--pred', sub, '--json', out);
    expect(all.status).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).metrics.recall).toBeLessThan(0.3);
    const bad = cli('mot', '--gt', join(TUD, 'gt', 'gt.txt'), '--pred', sub, '--fps', 'fast');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain("--fps must be a number in (0, 240], got 'fast'");
  });

  it('MOT17-02: the pedestrian gt scores 1; the raw gt as predictions loses its non-pedestrian, non-distractor rows', () => {
    const gtText = readFileSync(join(MOT17, 'gt', 'gt.txt'), 'utf8');
    const ped = gtText.split('\n').filter((l) => /^\d+,\d+,[^,]+,[^,]+,[^,]+,[^,]+,1,1,/.test(l));
    expect(ped).toHaveLength(88);
    const pedFile = join(dir, 'ped.txt');
    writeFileSync(pedFile, ped.join('\n'));
    const out = join(dir, 'm17.json');
    expect(cli('mot', '--gt', join(MOT17, 'gt', 'gt.txt'), '--pred', pedFile, '--json', out).status).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).metrics).toMatchObject({ gtFormat: 'mot17', frames: 4, gtBoxes: 88, mota: 1, idf1: 1 });
    expect(cli('mot', '--gt', join(MOT17, 'gt', 'gt.txt'), '--pred', join(MOT17, 'gt', 'gt.txt'), '--json', out).status).toBe(0);
    // 48 rows of classes 2/7/8 are ignored; 12 bicycle (4) + 8 occluder (9) rows are false positives.
    expect(JSON.parse(readFileSync(out, 'utf8')).metrics).toMatchObject({ ignoredPredBoxes: 48, fp: 20, tp: 88, fn: 0 });
  });

  it('ShanghaiTech annotations against themselves: MAE 0', () => {
    const ann = join(PART_B, 'annotations.json');
    const out = join(dir, 'count.json');
    const r = cli('count', '--gt', join(PART_B, 'ground_truth'), '--pred', ann, '--json', out);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/all\s+60\s+0\.00\s+0\.00\s+0\.0%/);
    expect(JSON.parse(readFileSync(out, 'utf8')).metrics).toMatchObject({ n: 60, mae: 0, rmse: 0, mre: 0 });
  });

  it('exits non-zero with a one-line error naming the line of a bad row', () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, '1,1,10,10,5,5,1\n1,2,10,10,5\n');
    const r = cli('mot', '--gt', join(TUD, 'gt', 'gt.txt'), '--pred', bad);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(`error: ${bad} line 2: expected at least 6 fields (frame,id,x,y,w,h,...), got 5`);
    const missing = cli('count', '--gt', PART_B);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe('error: --pred is required; see crowdsafe eval --help');
  });

  it('has the shared data', () => {
    expect(existsSync(PART_B) && existsSync(TUD) && existsSync(MOT17)).toBe(true);
  });
});
