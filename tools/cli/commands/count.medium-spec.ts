// `crowdsafe count` end to end on two real ShanghaiTech B images: JSON format for `crowdsafe eval count --pred`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

jest.setTimeout(120000);

const ROOT = resolve(__dirname, '..', '..', '..');
const DATA = process.env.CROWDSAFE_SHARED_DATA ? resolve(process.env.CROWDSAFE_SHARED_DATA) : resolve(ROOT, '..', 'shared', 'data');
const IMAGES = join(DATA, 'crowd_counting', 'shanghaitech', 'part_B_train_60', 'images');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', './tools/ts-register.js', 'tools/cli/main.ts', 'count', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('crowdsafe count (real models, real images)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'count-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--method fused writes one record per image with count, method, range, detections and timings', () => {
    const out = join(dir, 'pred.json');
    const r = cli(join(IMAGES, 'IMG_3.jpg'), join(IMAGES, 'IMG_1.jpg'), '--method', 'fused', '--max-side', '640', '--threads', '1', '--json', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const { images } = JSON.parse(readFileSync(out, 'utf8')) as { images: Record<string, unknown>[] };
    expect(images.map((i) => i['image'])).toEqual(['IMG_3.jpg', 'IMG_1.jpg']);
    for (const i of images) {
      expect(i).toMatchObject({ method: 'fused', path: expect.stringMatching(/IMG_\d\.jpg$/) });
      const { count, low, high, detections } = i as { count: number; low: number; high: number; detections: number };
      expect(low).toBeLessThanOrEqual(count);
      expect(high).toBeGreaterThanOrEqual(count);
      expect(count).toBeGreaterThanOrEqual(detections);
      expect(Object.keys(i['timingsMs'] as object).sort()).toEqual(['decode', 'density', 'detect', 'total']);
    }
    // IMG_1 has 234 heads, IMG_3 29: the fused count orders them and lands in a sane range.
    expect(images[1]['count'] as number).toBeGreaterThan(images[0]['count'] as number);
    expect(images[0]['count']).toBeGreaterThanOrEqual(15);
    expect(images[0]['count']).toBeLessThanOrEqual(45);
  });

  it('a wrong density model is refused with one line and exit code 1', () => {
    const r = cli(join(IMAGES, 'IMG_3.jpg'), '--method', 'density', '--fidt-model', join(DATA, 'models', 'yolo11n_int8_dynamic_640.onnx'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: Model at .*yolo11n_int8_dynamic_640\.onnx \(--fidt-model\) has input/);
  });
});
