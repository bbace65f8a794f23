// `crowdsafe analyze` end to end: the real CLI (from the TypeScript sources) with the real model and ffmpeg on
// TUD-Campus (MOTChallenge, 71 frames, 640x480), checked against its ground truth. No timing assertions.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { interpolateMotGaps, motRowsOf, type MotRow } from './mot-rows';

jest.setTimeout(180000);

const ROOT = resolve(__dirname, '../../../..');
const DATA = process.env.CROWDSAFE_SHARED_DATA ? resolve(process.env.CROWDSAFE_SHARED_DATA) : resolve(ROOT, '..', 'shared', 'data');
const MODEL = join(DATA, 'models', 'yolo11n_int8_dynamic_640.onnx');
const TUD = join(DATA, 'mot', 'TUD-Campus');
const MOT_LINE = /^(\d+),(\d+),(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?),(\d+(?:\.\d+)?),(\d+(?:\.\d+)?),(0|1|0\.\d+),-1,-1,-1$/;

interface Box {
  frame: number;
  id: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

function analyze(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    // A clean environment: the CLI's config comes from defaults + flags, not from whatever the test runner has set.
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

function parseMot(text: string): Box[] {
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [frame, id, x, y, w, h] = l.split(',').map(Number);
      return { frame, id, x, y, w, h };
    });
}

function iou(a: Box, b: Box): number {
  const iw = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const ih = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  return inter / (a.w * a.h + b.w * b.h - inter);
}

interface AnalyzeJson {
  processingFps: number;
  trackBufferFrames: number;
  detect: { confidence: number };
  summary: { frames: number; meanCount: number; meanDetections: number; fps: number };
  frames: Array<{ frame: number; count: number; method: string; low: number; high: number; detections: unknown[]; tracks: MotRow[]; beforeConfirmation?: MotRow[]; timingsMs: Record<string, number> }>;
}

describe('crowdsafe analyze (real model, TUD-Campus)', () => {
  let dir: string;
  let run: { code: number; stdout: string; stderr: string };
  let lines: string[];
  let pred: Box[];
  let out: AnalyzeJson;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crowdsafe-analyze-'));
    run = await analyze([join(TUD, 'TUD-Campus_h264.mp4'), '--model', MODEL, '--mot', join(dir, 'tud.txt'), '--json', join(dir, 'tud.json')]);
    if (run.code === 0) {
      lines = readFileSync(join(dir, 'tud.txt'), 'utf8').trim().split('\n');
      pred = parseMot(lines.join('\n'));
      out = JSON.parse(readFileSync(join(dir, 'tud.json'), 'utf8')) as AnalyzeJson;
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every frame and prints a one-paragraph summary', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toMatch(/^Analyzed .*TUD-Campus_h264\.mp4 \(video, 640x480 at 25 fps.*71 of 71 frames processed at 25 fps with confidence 0\.5.*People count mean/);
  });

  it('writes MOTChallenge rows frame,id,x,y,w,h,conf,-1,-1,-1 for confirmed tracks, from their first detection', () => {
    expect(lines.length).toBeGreaterThan(200); // ~5 people x 71 frames
    for (const l of lines) expect(l).toMatch(MOT_LINE);
    const keys = new Set(pred.map((b) => `${b.frame}:${b.id}`));
    expect(keys.size).toBe(pred.length); // one row per (frame, id)
    for (const b of pred) {
      expect(b.frame >= 1 && b.frame <= 71 && b.id >= 1).toBe(true);
      expect(b.w > 0 && b.h > 0 && b.x + b.w > 0 && b.x < 640 && b.y + b.h > 0 && b.y < 480).toBe(true);
    }
    // confirmed on the minHits = 3rd detection, written from the first one (the rows before are in beforeConfirmation)
    expect(Math.min(...pred.map((b) => b.frame))).toBe(1);
    expect(out.frames.slice(0, 2).every((f) => f.tracks.length === 0)).toBe(true);
    // the MOT file = the JSON's tracks + beforeConfirmation, with gaps up to the track buffer (25 frames) interpolated
    expect(out.trackBufferFrames).toBe(25);
    const json = out.frames.reduce((s, f) => s + f.tracks.length + (f.beforeConfirmation?.length ?? 0), 0);
    expect(interpolateMotGaps(out.frames.map((f) => motRowsOf(f)), out.trackBufferFrames).reduce((s, r) => s + r.length, 0)).toBe(pred.length);
    expect(pred.length).toBeGreaterThanOrEqual(json);
  });

  it('keeps one id on a person across frames (ground truth: gt/gt.txt)', () => {
    // Match each ground-truth box to the best-overlapping track of its frame (IoU >= 0.5), then look at the ids
    // each ground-truth person got. TUD-Campus has long full occlusions, so a person may get a second id.
    const gt = parseMot(readFileSync(join(TUD, 'gt', 'gt.txt'), 'utf8'));
    const idsByPerson = new Map<number, Map<number, number>>();
    for (const g of gt) {
      let best: Box | undefined;
      let bestIou = 0.5;
      for (const p of pred) if (p.frame === g.frame && iou(g, p) >= bestIou) [best, bestIou] = [p, iou(g, p)];
      if (!best) continue;
      const ids = idsByPerson.get(g.id) ?? new Map<number, number>();
      ids.set(best.id, (ids.get(best.id) ?? 0) + 1);
      idsByPerson.set(g.id, ids);
    }
    const people = [...idsByPerson.values()]
      .map((ids) => [...ids.values()].sort((a, b) => b - a))
      .filter((frames) => frames.reduce((a, b) => a + b, 0) >= 10);
    expect(people.length).toBeGreaterThanOrEqual(6); // of the 8 people, 7 are visible for 10+ frames
    const total = (f: number[]) => f.reduce((a, b) => a + b, 0);
    // every person: at most 2 ids cover 90 % of their frames; most people: one id covers 95 %
    for (const frames of people) expect((frames[0] + (frames[1] ?? 0)) / total(frames)).toBeGreaterThanOrEqual(0.9);
    expect(people.filter((frames) => frames[0] / total(frames) >= 0.95).length).toBeGreaterThanOrEqual(4);
    const idsPerPerson = people.reduce((s, f) => s + f.filter((n) => n >= 3).length, 0) / people.length;
    expect(idsPerPerson).toBeLessThanOrEqual(1.5);
  });

  it('writes per-frame counts with method and range, and a summary', () => {
    expect(out.processingFps).toBe(25);
    expect(out.detect.confidence).toBe(0.5); // DETECT_CONFIDENCE default
    expect(out.frames.map((f) => f.frame)).toEqual(Array.from({ length: 71 }, (_, i) => i + 1));
    expect(out.frames.map((f) => f.method)).toEqual([...Array(2).fill('detection'), ...Array(69).fill('tracking')]);
    for (const f of out.frames) {
      expect(f.low <= f.count && f.count <= f.high).toBe(true);
      expect(Object.keys(f.timingsMs).sort()).toEqual(['decode', 'detect', 'inference', 'postprocess', 'preprocess', 'track']);
    }
    expect(out.summary.frames).toBe(71);
    // TUD-Campus shows 5.06 people per frame on average (359 ground-truth boxes / 71 frames)
    expect(out.summary.meanCount).toBeGreaterThan(3.5);
    expect(out.summary.meanCount).toBeLessThan(6.5);
  });

  it('applies --config detection settings (confidence 0.25: more detections)', async () => {
    const config = join(dir, 'camera.json');
    writeFileSync(config, JSON.stringify({ detection: { confidence: 0.25 } }));
    const r = await analyze([join(TUD, 'TUD-Campus_h264.mp4'), '--model', MODEL, '--config', config, '--json', join(dir, 'c025.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('with confidence 0.25');
    const low = JSON.parse(readFileSync(join(dir, 'c025.json'), 'utf8')) as AnalyzeJson;
    expect(low.detect.confidence).toBe(0.25);
    expect(low.summary.meanDetections).toBeGreaterThan(out.summary.meanDetections);
  });

  it('rejects a --config with unknown keys, naming them', async () => {
    const config = join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ detection: { confidence: 0.25 }, fps: 5 }));
    const r = await analyze([join(TUD, 'TUD-Campus_h264.mp4'), '--model', MODEL, '--config', config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${config}: unknown key 'fps'; allowed: 'detection', 'analytics', 'calibrationData', 'zones', 'capacity', 'description'`);
  });
});
