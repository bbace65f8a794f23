// `crowdsafe analyze` with crowd analytics: the real CLI and model on the first ~5 s of the shared hall video with
// the documented approximate calibration docs/calibration/hall.json. Plausibility ranges, no timing assertions.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

jest.setTimeout(180000);

const ROOT = resolve(__dirname, '../../../..');
const DATA = process.env.CROWDSAFE_SHARED_DATA ? resolve(process.env.CROWDSAFE_SHARED_DATA) : resolve(ROOT, '..', 'shared', 'data');
const MODEL = join(DATA, 'models', 'yolo11n_int8_dynamic_640.onnx');
const HALL = join(DATA, 'videos', 'hall_topdown_1280x720_25fps_reencoded.mp4');

interface FrameAnalytics {
  count: number;
  density: number;
  velocity: number | null;
  flowIn: number;
  flowOut: number;
  surge: number | null;
  pressureMax: number | null;
  counterFlow: number | null;
  zones?: Record<string, number>;
}
interface Out {
  summary: { frames: number };
  analytics: { calibration: string; approximate: boolean; floorAreaM2: number; meanDensity: number; meanVelocity: number | null; flowInTotal: number; flowOutTotal: number; lines: Array<{ id: string }>; zones: Array<{ id: string; meanDensity: number }> };
  frames: Array<{ frame: number; analytics?: FrameAnalytics }>;
}

function analyze(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn' };
    const p = spawn(process.execPath, ['-r', './tools/ts-register.js', 'tools/cli/main.ts', 'analyze', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    p.on('error', fail);
    p.on('close', (code) => done({ code: code ?? 1, stdout, stderr }));
  });
}

describe('crowdsafe analyze with analytics (hall video, docs/calibration/hall.json)', () => {
  let dir: string;
  let run: { code: number; stdout: string; stderr: string };
  let out: Out;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crowdsafe-hall-'));
    run = await analyze([HALL, '--model', MODEL, '--config', join(ROOT, 'docs/calibration/hall.json'), '--fps', '5', '--max-frames', '25', '--json', join(dir, 'hall.json')]);
    if (run.code === 0) out = JSON.parse(readFileSync(join(dir, 'hall.json'), 'utf8')) as Out;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops after --max-frames and prints the analytics summary', () => {
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('approximate'); // the scale calibration's warning
    expect(run.stdout).toMatch(/25 of \d+ frames processed at 5 fps.*Analytics \(scale, approximate, floor 116\.\d+ m²\): density mean/);
    expect(out.summary.frames).toBe(25);
    expect(out.frames).toHaveLength(25);
    expect(out.frames[24].frame).toBe(121); // 5 s of 25 fps video at 5 fps
  });

  it('every frame carries finite analytics in plausible ranges', () => {
    for (const f of out.frames) {
      const a = f.analytics as FrameAnalytics;
      expect(a).toBeDefined();
      expect(Number.isFinite(a.density) && a.density >= 0 && a.density < 1).toBe(true);
      if (a.velocity !== null) expect(a.velocity >= 0 && a.velocity < 3).toBe(true);
      if (a.surge !== null) expect(Math.abs(a.surge)).toBeLessThan(0.5);
      if (a.pressureMax !== null) expect(Number.isFinite(a.pressureMax) && a.pressureMax >= 0).toBe(true);
      if (a.counterFlow !== null) expect(a.counterFlow >= 0 && a.counterFlow <= 1).toBe(true);
      expect(Number.isInteger(a.flowIn) && Number.isInteger(a.flowOut)).toBe(true);
      expect(Number.isFinite(a.zones?.['centre'])).toBe(true);
    }
    // After warm-up the concourse holds ~25-40 detected people on ~116 m²: 0.05-1 people/m².
    const later = out.frames.slice(5).map((f) => f.analytics as FrameAnalytics);
    for (const a of later) expect(a.density >= 0.05 && a.density <= 1).toBe(true);
  });

  it('summarises density, speed and flow', () => {
    const a = out.analytics;
    expect(a).toMatchObject({ calibration: 'scale', approximate: true, lines: [{ id: 'mid' }], zones: [{ id: 'centre' }] });
    expect(a.meanDensity).toBeGreaterThan(0.05);
    expect(a.meanDensity).toBeLessThan(1);
    expect(a.meanVelocity).not.toBeNull();
    expect(a.meanVelocity as number).toBeGreaterThan(0.2);
    expect(a.meanVelocity as number).toBeLessThan(1.8);
    expect(a.flowInTotal + a.flowOutTotal).toBeGreaterThanOrEqual(1);
  });
});
