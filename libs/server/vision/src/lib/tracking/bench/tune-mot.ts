// Tracker-only MOT evaluation on cached detections (not a test): replays the per-frame detections of a
// `crowdsafe analyze --json` run made at a LOW detector confidence through BotSortTracker with given options, at
// simulated camera confidences and frame rates, and scores the result with the product's MOT metrics. Greedy NMS
// makes "detect at 0.1, keep >= c" identical to "detect at c", so one detector run serves every confidence.
//   ./crowdsafe analyze <seq.mp4|img1> --config low.json --json dets.json      (low.json: {"detection":{"confidence":0.1}})
//   node -r ./tools/ts-register.js libs/server/vision/src/lib/tracking/bench/tune-mot.ts \
//     <dets.json> <gt.txt> <seqinfo.ini> [--fps 5] [--conf 0.25] [--opts '{"activateThresh":0.6}'] [--low] [--output confirmed|activated|confirmed-from-activation] [--dump pred.txt]
// --low: pass the detections between trackLowThresh and the confidence to the tracker as the low-score set of the
//   second association (trackHighThresh = newTrackThresh = confidence), as Ultralytics' track mode (detector at 0.1).
// --output: MOT rows of confirmed tracks only (what is counted), of every activated track (Ultralytics' output), or
//   (default) of the tracks that get confirmed, from their first detection on (what `crowdsafe analyze --mot` writes).
import { readFileSync, writeFileSync } from 'node:fs';
import type { Detection } from '@crowdsafe/contracts';
import { evaluateMot, type MotMetrics } from '../../eval/mot-metrics';
import { parseMotText, parseSeqInfo, type MotRow } from '../../eval/mot-format';
import { BotSortTracker } from '../bot-sort';
import type { BotSortOptions } from '../types';

interface CachedFrame {
  frame: number;
  detections: Array<{ x1: number; y1: number; x2: number; y2: number; score: number }>;
}

export interface TuneCase {
  frames: CachedFrame[];
  sourceFps: number;
  gt: MotRow[];
  seqLength: number;
}

export interface TuneRun {
  fps?: number;
  conf: number;
  low: boolean;
  /**
   * confirmed: rows of confirmed tracks (what is counted); activated: rows of every activated track (Ultralytics);
   * confirmed-from-activation: rows of the tracks that get confirmed, from their first detection on (`crowdsafe analyze --mot`).
   */
  output: 'confirmed' | 'activated' | 'confirmed-from-activation';
  opts: Partial<BotSortOptions>;
}

/** Same frame selection as `crowdsafe analyze --fps` (first source frame of each 1/fps slot). */
function slotOf(n: number, sourceFps: number, fps: number | undefined): number | null {
  if (fps === undefined || fps >= sourceFps) return n;
  const slot = (k: number) => Math.floor((k * fps) / sourceFps + 1e-9);
  const k = n - 1;
  if (k > 0 && slot(k) === slot(k - 1)) return null;
  return slot(k) + 1;
}

export function runCase(c: TuneCase, r: TuneRun): { metrics: MotMetrics; ids: number; lines: string[] } {
  const rate = r.fps !== undefined && r.fps < c.sourceFps ? r.fps : c.sourceFps;
  const base: Partial<BotSortOptions> = r.low ? { trackHighThresh: r.conf, newTrackThresh: r.conf } : {};
  const tracker = new BotSortTracker({ ...base, ...r.opts, frameRate: rate });
  const lines: string[] = [];
  const kept = new Set<number>();
  const ids = new Set<number>();
  const finalId = new Map<number, number>();
  const lineIds: number[] = [];
  for (const f of c.frames) {
    const slot = slotOf(f.frame, c.sourceFps, r.fps);
    if (slot === null) continue;
    kept.add(f.frame);
    const floor = r.low ? (tracker.options.trackLowThresh) : r.conf;
    const dets: Detection[] = f.detections
      .filter((d) => (r.low ? d.score > floor : d.score >= r.conf))
      .map((d) => ({ box: { x1: d.x1, y1: d.y1, x2: d.x2, y2: d.y2 }, score: d.score, classId: 0 }));
    const out = tracker.update(dets, slot);
    const rows =
      r.output === 'confirmed' ? out.tracks : r.output === 'activated' ? [...out.tracks, ...out.tentative.filter((t) => t.id > 0)] : [...out.tracks, ...out.tentative];
    for (const t of out.tracks) finalId.set(t.provisionalId, t.id);
    // As `crowdsafe analyze --mot`: the track's Kalman box, 0.1 px.
    const r1 = (v: number) => Math.round(v * 10) / 10;
    for (const t of rows) {
      lineIds.push(r.output === 'confirmed-from-activation' ? t.provisionalId : t.id);
      const { x1, y1, x2, y2 } = t.box;
      lines.push(`${f.frame},${t.id},${r1(x1)},${r1(y1)},${r1(x2 - x1)},${r1(y2 - y1)},${t.score},-1,-1,-1`);
    }
  }
  if (r.output === 'confirmed-from-activation') {
    const rows: string[] = [];
    lines.forEach((l, k) => {
      const id = finalId.get(lineIds[k]);
      if (id !== undefined) rows.push(l.replace(/^(\d+),-?\d+,/, `$1,${id},`));
    });
    lines.length = 0;
    lines.push(...rows);
  }
  for (const l of lines) ids.add(Number(l.split(',')[1]));
  // Score only the processed frames (a 5 fps run is compared with the ground truth of the frames it saw).
  const gt = c.gt.filter((g) => kept.has(g.frame));
  const pred = lines.length ? parseMotText(lines.join('\n'), 'pred') : [];
  return { metrics: evaluateMot(gt, pred, { numFrames: c.seqLength }), ids: ids.size, lines };
}

export function loadCase(detsPath: string, gtPath: string, seqinfoPath: string): TuneCase {
  const json = JSON.parse(readFileSync(detsPath, 'utf8')) as { source: { fps: number }; frames: CachedFrame[] };
  const seq = parseSeqInfo(readFileSync(seqinfoPath, 'utf8'), seqinfoPath);
  return { frames: json.frames, sourceFps: json.source.fps, gt: parseMotText(readFileSync(gtPath, 'utf8'), gtPath), seqLength: seq.seqLength ?? json.frames.length };
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const pos: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--low') flags['low'] = '1';
    else if (argv[i].startsWith('--')) flags[argv[i].slice(2)] = argv[++i];
    else pos.push(argv[i]);
  }
  const c = loadCase(pos[0], pos[1], pos[2]);
  const r: TuneRun = {
    fps: flags['fps'] ? Number(flags['fps']) : undefined,
    conf: Number(flags['conf'] ?? 0.25),
    low: flags['low'] === '1',
    output: (flags['output'] ?? 'confirmed-from-activation') as TuneRun['output'],
    opts: flags['opts'] ? (JSON.parse(flags['opts']) as Partial<BotSortOptions>) : {},
  };
  const { metrics: m, ids, lines } = runCase(c, r);
  if (flags['dump']) writeFileSync(flags['dump'], lines.join('\n') + '\n');
  const f = (v: number) => v.toFixed(3);
  console.log(`IDF1 ${f(m.idf1)} MOTA ${f(m.mota)} IDSW ${m.idsw} FP ${m.fp} FN ${m.fn} ids ${ids} recall ${f(m.recall)} precision ${f(m.precision)}`);
}
