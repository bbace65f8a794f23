// `crowdsafe eval mot|count`: score tracker output against MOTChallenge ground truth, or people counts against
// point-annotated crowd images (ShanghaiTech). The metrics live in libs/server/vision/src/lib/eval (pure).
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import {
  evaluateCounts,
  evaluateMot,
  parseCountGroundTruth,
  parseCountPredictions,
  parseMotText,
  parseSeqInfo,
  shanghaiTechGtFromMat,
  type CountErrorStats,
  type CountGtImage,
  type CountMetrics,
  type MotGtFormat,
  type MotMetrics,
  type SeqInfo,
} from '@crowdsafe/vision';

import { frameSlot } from './analyze/options';

export const summary = 'score tracking (eval mot) or counting (eval count) output against ground truth';

const USAGE = [
  'usage: crowdsafe eval mot --gt <gt.txt> --pred <pred.txt> [--seqinfo <seqinfo.ini>] [--format auto|mot15|mot17]',
  '                          [--iou 0.5] [--fps N] [--json <out.json>]',
  '         --fps N: score only the frames `crowdsafe analyze --fps N` processes (needs frameRate in seqinfo.ini)',
  '       crowdsafe eval count --gt <annotations.json | ground_truth dir> --pred <counts.json> [--bands 50,100,200]',
  '                            [--json <out.json>]',
].join('\n');

export async function run(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    console.log(USAGE);
    return;
  }
  if (sub === 'mot') return evalMot(parseFlags(rest, ['gt', 'pred', 'seqinfo', 'format', 'iou', 'fps', 'json'], ['gt', 'pred']));
  if (sub === 'count') return evalCount(parseFlags(rest, ['gt', 'pred', 'bands', 'json'], ['gt', 'pred']));
  throw new Error(`unknown eval target '${sub}' (expected 'mot' or 'count'); see crowdsafe eval --help`);
}

/** `--name value` / `--name=value` flags; unknown, repeated or missing required flags are errors. */
export function parseFlags(args: readonly string[], known: readonly string[], required: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unexpected argument '${a}'; see crowdsafe eval --help`);
    const name = m[1];
    if (!known.includes(name)) throw new Error(`unknown option --${name} (known: ${known.map((n) => `--${n}`).join(', ')})`);
    let value = m[2];
    if (value === undefined) {
      value = args[++k];
      if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
    }
    if (name in out) throw new Error(`--${name} given twice`);
    out[name] = value;
  }
  for (const r of required) if (!(r in out)) throw new Error(`--${r} is required; see crowdsafe eval --help`);
  return out;
}

function readText(path: string, what: string): string {
  if (!existsSync(path)) throw new Error(`${what} not found: ${path}`);
  if (!statSync(path).isFile()) throw new Error(`${what} is not a file: ${path}`);
  return readFileSync(path, 'utf8');
}

function readJson(path: string, what: string): unknown {
  const text = readText(path, what);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  console.log(`wrote ${path}`);
}

// ---------------------------------------------------------------------------------------------------------------

function evalMot(flags: Record<string, string>): void {
  const gtPath = resolve(flags['gt']);
  const predPath = resolve(flags['pred']);
  const format = flags['format'] ?? 'auto';
  if (format !== 'auto' && format !== 'mot15' && format !== 'mot17') throw new Error(`--format must be auto, mot15 or mot17, got '${format}'`);
  const iouThreshold = flags['iou'] === undefined ? 0.5 : Number(flags['iou']);
  if (!(iouThreshold > 0 && iouThreshold <= 1)) throw new Error(`--iou must be a number in (0, 1], got '${flags['iou']}'`);

  // seqinfo.ini: given, or next to gt/ in the standard MOTChallenge layout (<seq>/gt/gt.txt, <seq>/seqinfo.ini).
  let seqinfoPath = flags['seqinfo'] === undefined ? undefined : resolve(flags['seqinfo']);
  let seqinfoAuto = false;
  if (!seqinfoPath) {
    const guess = join(dirname(dirname(gtPath)), 'seqinfo.ini');
    if (existsSync(guess)) {
      seqinfoPath = guess;
      seqinfoAuto = true;
    }
  }
  const seqinfo: SeqInfo | undefined = seqinfoPath ? parseSeqInfo(readText(seqinfoPath, 'seqinfo'), seqinfoPath) : undefined;

  let gt = parseMotText(readText(gtPath, 'gt file'), gtPath);
  let pred = parseMotText(readText(predPath, 'prediction file'), predPath);
  if (flags['fps'] !== undefined) {
    const fps = Number(flags['fps']);
    if (!(Number.isFinite(fps) && fps > 0 && fps <= 240)) throw new Error(`--fps must be a number in (0, 240], got '${flags['fps']}'`);
    const sourceFps = seqinfo?.frameRate;
    if (!sourceFps) throw new Error('--fps needs the sequence frame rate: a seqinfo.ini with frameRate (--seqinfo or next to gt/)');
    // The frames a camera at `fps` processes (same selection as crowdsafe analyze --fps).
    const kept = (frame: number) => frameSlot(frame, sourceFps, fps) !== null;
    gt = gt.filter((r) => kept(r.frame));
    pred = pred.filter((r) => kept(r.frame));
    console.log(`scoring the frames processed at ${fps} fps of a ${sourceFps} fps sequence`);
  }
  const m = evaluateMot(gt, pred, {
    iouThreshold,
    gtFormat: format as MotGtFormat | 'auto',
    numFrames: seqinfo?.seqLength,
  });

  console.log(`MOT evaluation (CLEAR MOT + IDF1, TrackEval conventions, IoU >= ${iouThreshold})`);
  console.log(`  gt       ${gtPath}  (${m.gtFormat}, ${m.gtIds} ids, ${m.gtBoxes} boxes scored, ${m.droppedGtBoxes} rows dropped)`);
  console.log(`  pred     ${predPath}  (${m.predIds} ids, ${m.predBoxes} boxes scored, ${m.ignoredPredBoxes} on distractors ignored)`);
  if (seqinfoPath) {
    const dims = seqinfo?.imWidth && seqinfo.imHeight ? `, ${seqinfo.imWidth}x${seqinfo.imHeight}` : '';
    console.log(`  seqinfo  ${seqinfoPath}${seqinfoAuto ? ' (found next to gt/)' : ''}  (${seqinfo?.name ?? '?'}, seqLength ${seqinfo?.seqLength ?? '?'}${dims})`);
  }
  const beyond = m.ignoredRowsBeyondSeq;
  if (beyond.gt + beyond.pred > 0) {
    console.warn(`warning: ignored rows beyond seqLength ${m.frames}: ${beyond.gt} in gt, ${beyond.pred} in predictions`);
  }
  if (m.predBoxes === 0 && pred.length === 0) console.warn('warning: the prediction file has no rows');
  printTable([
    ['MOTA', fmt(m.mota)],
    ['IDF1', fmt(m.idf1)],
    ['MOTP', `${fmt(m.motp)}  (mean IoU of matches)`],
    ['IDSW', String(m.idsw)],
    ['FP', String(m.fp)],
    ['FN', String(m.fn)],
    ['precision', fmt(m.precision)],
    ['recall', fmt(m.recall)],
    ['IDP / IDR', `${fmt(m.idp)} / ${fmt(m.idr)}`],
    ['MT / PT / ML', `${m.mt} / ${m.pt} / ${m.ml}`],
    ['Frag', String(m.frag)],
    ['GT boxes', String(m.gtBoxes)],
    ['frames', String(m.frames)],
  ]);
  if (flags['json']) {
    const out: { kind: 'mot'; gt: string; pred: string; seqinfo?: SeqInfo & { path: string }; metrics: MotMetrics } = {
      kind: 'mot',
      gt: gtPath,
      pred: predPath,
      metrics: m,
    };
    if (seqinfo && seqinfoPath) out.seqinfo = { path: seqinfoPath, ...seqinfo };
    writeJson(resolve(flags['json']), out);
  }
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Ground truth for `eval count`: an annotations.json file, a folder of ShanghaiTech `GT_IMG_n.mat` files (image
 * `IMG_n.jpg`), or a dataset part folder holding `ground_truth/` (preferred: the original files) or annotations.json.
 */
export function loadCountGroundTruth(path: string): { images: CountGtImage[]; source: string } {
  if (!existsSync(path)) throw new Error(`gt not found: ${path}`);
  if (statSync(path).isFile()) return { images: parseCountGroundTruth(readJson(path, 'gt file'), path), source: path };
  const mats = matFiles(path);
  if (mats.length > 0) return { images: readMatDir(path, mats), source: path };
  const sub = join(path, 'ground_truth');
  if (existsSync(sub) && statSync(sub).isDirectory() && matFiles(sub).length > 0) {
    return { images: readMatDir(sub, matFiles(sub)), source: sub };
  }
  const ann = join(path, 'annotations.json');
  if (existsSync(ann)) return { images: parseCountGroundTruth(readJson(ann, 'gt file'), ann), source: ann };
  throw new Error(`${path}: no .mat files, ground_truth/ folder or annotations.json`);
}

function matFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.mat'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

function readMatDir(dir: string, files: string[]): CountGtImage[] {
  return files.map((f) => {
    const file = join(dir, f);
    let gt;
    try {
      gt = shanghaiTechGtFromMat(readFileSync(file));
    } catch (err) {
      throw new Error(`${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const image = `${basename(f, '.mat').replace(/^GT_/, '')}.jpg`;
    return { image, count: gt.count, points: gt.points };
  });
}

function evalCount(flags: Record<string, string>): void {
  const gtPath = resolve(flags['gt']);
  const predPath = resolve(flags['pred']);
  let bandEdges: number[] | undefined;
  if (flags['bands'] !== undefined) {
    const edges = flags['bands'].split(',').map((s) => Number(s.trim()));
    if (edges.some((v, k) => !(v > 0) || !Number.isFinite(v) || (k > 0 && v <= edges[k - 1]))) {
      throw new Error(`--bands must be positive, ascending numbers like 50,100,200; got '${flags['bands']}'`);
    }
    bandEdges = edges;
  }
  const { images: gt, source } = loadCountGroundTruth(gtPath);
  const pred = parseCountPredictions(readJson(predPath, 'prediction file'), predPath);
  const m = evaluateCounts(gt, pred, { bandEdges });

  const methods = [...new Set(pred.map((p) => p.method).filter((x): x is string => x !== undefined))];
  console.log('Count evaluation (per image, matched by file name)');
  console.log(`  gt    ${source}  (${gt.length} images)`);
  console.log(`  pred  ${predPath}  (${pred.length} images${methods.length ? `, method ${methods.join('/')}` : ''})`);
  if (m.missing.length > 0) console.warn(`warning: ${m.missing.length} gt images have no prediction (left out): ${list(m.missing)}`);
  if (m.unmatched.length > 0) console.warn(`warning: ${m.unmatched.length} predictions have no gt image (left out): ${list(m.unmatched)}`);
  const header = ['band (gt)', 'n', 'MAE', 'RMSE', 'MRE', 'bias', 'mean gt', 'mean pred'];
  const rowOf = (label: string, s: CountErrorStats): string[] => [
    label,
    String(s.n),
    fmt(s.mae, 2),
    fmt(s.rmse, 2),
    s.mre === null ? 'n/a' : `${fmt(s.mre * 100, 1)}%`,
    s.bias === null ? '-' : `${s.bias >= 0 ? '+' : ''}${fmt(s.bias, 2)}`,
    fmt(s.meanGt, 1),
    fmt(s.meanPred, 1),
  ];
  printGrid([header, rowOf('all', m), ...m.bands.map((b) => rowOf(b.label, b))]);
  console.log('MRE = mean |pred - gt| / gt over images with gt > 0 (gt = 0 images are left out of MRE only).');
  if (m.rangeCoverage !== null) {
    console.log(`[low, high] contains gt for ${fmt(m.rangeCoverage * 100, 1)}% of ${m.rangeImages} images with a range`);
  }
  if (flags['json']) {
    const out: { kind: 'count'; gt: string; pred: string; metrics: CountMetrics } = { kind: 'count', gt: source, pred: predPath, metrics: m };
    writeJson(resolve(flags['json']), out);
  }
}

// ---------------------------------------------------------------------------------------------------------------

function fmt(v: number | null, digits = 3): string {
  return v === null ? '-' : v.toFixed(digits);
}

function list(items: string[], max = 5): string {
  return items.length > max ? `${items.slice(0, max).join(', ')}, …` : items.join(', ');
}

function printTable(rows: Array<[string, string]>): void {
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
}

function printGrid(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(`  ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')}`);
}
