// `./crowdsafe bench onnx [--runs N] [--fidt-size WxH] [--max-threads N]`: every onnxruntime session-option candidate
// (graph optimisation level x intra-op threads) of both models, timed on the input shape the product uses, the choice
// the load-time tuner makes from them, and what tuning costs at a first start and at a cached start.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { candidateGrid, chooseSessionOptions, cpuModel, type CandidateTiming, measureCandidates, ortVersion, selectFastest } from '@crowdsafe/server-ai';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function firstExisting(...paths: string[]): string {
  const p = paths.find((x) => existsSync(x));
  if (!p) throw new Error(`none of ${paths.join(', ')} exists`);
  return resolve(p);
}

function row(t: CandidateTiming, chosen: boolean): string {
  const runs = t.runsMs.map((r) => r.toFixed(0)).join('/');
  const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1).padStart(8) : '       -');
  return `  ${t.candidate.level.padEnd(9)} ${String(t.candidate.threads).padStart(2)}  best ${ms(t.minMs)} ms  median ${ms(t.medianMs)} ms  create ${t.createMs.toFixed(0).padStart(5)} ms  runs ${runs}${t.skipped ? `  (${t.skipped})` : ''}${chosen ? '  <= chosen' : ''}`;
}

export async function onnxBench(): Promise<void> {
  const shared = resolve(process.env['CROWDSAFE_SHARED_DATA'] ?? join(process.cwd(), '..', 'shared', 'data'));
  const runs = Number(arg('runs') ?? 3);
  const cores = availableParallelism();
  const maxThreads = Number(arg('max-threads') ?? cores);
  const [fw, fh] = (arg('fidt-size') ?? '1024x768').split('x').map(Number);
  const models = [
    { name: 'YOLO detector', path: firstExisting('models/yolo11n.onnx', join(shared, 'models', 'yolo11n_int8_dynamic_640.onnx')), input: 'images', dims: [1, 3, 640, 640] },
    { name: 'FIDT density model', path: firstExisting('models/fidt_light_B.onnx', join(shared, 'models', 'fidt_light_B.onnx')), input: 'input', dims: [1, 3, fh, fw] },
  ];
  console.log(`onnxruntime-node ${ortVersion()}, ${cpuModel()}, ${cores} cores; ${runs} timed runs per candidate after one warm-up; execution mode sequential`);
  for (const m of models) {
    const bytes = readFileSync(m.path);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    console.log(`\n${m.name} (${m.path}, sha256 ${sha256.slice(0, 12)}), input [${m.dims.join(', ')}]: every candidate`);
    const all = await measureCandidates(bytes, m.input, m.dims, candidateGrid(maxThreads), { runs, budgetMs: Infinity, slowFactor: Infinity });
    const best = selectFastest(all);
    for (const t of all) console.log(row(t, t === best));
    if (best) {
      const worst = Math.max(...all.filter((t) => Number.isFinite(t.minMs)).map((t) => t.minMs));
      const byLevel = (l: string) => Math.min(...all.filter((t) => t.candidate.level === l).map((t) => t.minMs));
      console.log(`  choice (best run): ${best.candidate.level} / ${best.candidate.threads} thread(s), ${best.minMs.toFixed(1)} ms; slowest ${worst.toFixed(1)} ms (x${(worst / best.minMs).toFixed(2)}); fastest 'all' / fastest 'basic' = x${(byLevel('all') / byLevel('basic')).toFixed(2)}`);
    }
    // What the load-time tuner costs with the product's defaults (embedded bound: cores - 1), then from its cache.
    const dir = mkdtempSync(join(tmpdir(), 'onnx-tuning-'));
    try {
      const cfg = { cacheDir: dir, forced: {}, maxThreads: Math.max(1, cores - 1) };
      const first = await chooseSessionOptions({ bytes, sha256, inputName: m.input, inputDims: m.dims }, cfg);
      const again = await chooseSessionOptions({ bytes, sha256, inputName: m.input, inputDims: m.dims }, cfg);
      console.log(`  load-time tuner (embedded api, threads 1..${cfg.maxThreads}): first start ${(first.tuningMs / 1000).toFixed(1)} s -> ${first.choice.level}/${first.choice.threads} (${first.medianMs.toFixed(1)} ms); cached start ${again.tuningMs.toFixed(1)} ms (${again.source})`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
