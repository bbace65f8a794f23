import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import {
  type CandidateTiming,
  cacheMismatch,
  candidateGrid,
  type ForcedOptions,
  median,
  selectFastest,
  type SessionCandidate,
  type TuningCacheEntry,
  tuningCacheFileName,
  type TuningKey,
} from './session-tuning';

/** How a model's session options are chosen (plain data: crosses into model threads). */
export interface SessionTuningConfig {
  /** Directory of the cache (DATA_DIR/onnx-tuning); null = measure on every load, write nothing. */
  cacheDir: string | null;
  /** Env overrides (ONNX_GRAPH_OPTIMIZATION, INFERENCE_THREADS / FIDT_THREADS > 0): forced dimensions are not searched. */
  forced: ForcedOptions;
  /** Largest intraOpNumThreads tried (the role's bound). */
  maxThreads: number;
  /** Measuring stops after this (the candidates measured so far compete; the one running finishes). Default 30 s. */
  budgetMs?: number;
  /** Timed runs per candidate after one warm-up run (the best one counts). Default 3. */
  runs?: number;
  /** Re-measure even when a valid cache entry exists (bench). */
  refresh?: boolean;
}

export interface TuningOutcome {
  choice: SessionCandidate;
  /** 'cache': a valid entry was reused; 'measured': candidates were timed now; 'forced': both dimensions were forced. */
  source: 'cache' | 'measured' | 'forced';
  /** Best-run latency of the choice on the tuning input (ms; NaN when forced). */
  medianMs: number;
  /** Wall time spent choosing (ms): near 0 from the cache. */
  tuningMs: number;
  /** Every candidate's timing (from the cache entry when reused; empty when forced). */
  timings: CandidateTiming[];
  /** Why a cache entry was not reused (absent when it was, or with no cache). */
  cacheMiss?: string;
  cacheFile?: string;
}

const DEFAULT_BUDGET_MS = 30_000;
/** A candidate whose warm-up run is this much slower than the best median so far is not timed further. */
const SLOW_FACTOR = 2.5;

export function ortVersion(): string {
  return ort.env.versions?.common ?? 'unknown';
}

export function cpuModel(): string {
  return cpus()[0]?.model?.trim() || 'unknown';
}

/** Session options for a candidate on the CPU execution provider. */
export function sessionOptionsOf(c: SessionCandidate): ort.InferenceSession.SessionOptions {
  return { graphOptimizationLevel: c.level, intraOpNumThreads: c.threads, interOpNumThreads: 1, executionMode: 'sequential', executionProviders: ['cpu'] };
}

function tensorOf(dims: readonly number[]): ort.Tensor {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  // Mid-grey-ish, not zeros: some kernels take shortcuts on zeros.
  for (let i = 0; i < n; i++) data[i] = ((i * 2654435761) % 1000) / 1000;
  return new ort.Tensor('float32', data, dims as number[]);
}

async function measure(bytes: Uint8Array, inputName: string, input: ort.Tensor, c: SessionCandidate, runs: number, bestMs: number, slowFactor: number): Promise<CandidateTiming> {
  let t = performance.now();
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, sessionOptionsOf(c));
  } catch (e) {
    return { candidate: c, medianMs: Infinity, minMs: Infinity, runsMs: [], createMs: performance.now() - t, skipped: `error: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}` };
  }
  const createMs = performance.now() - t;
  try {
    t = performance.now();
    await session.run({ [inputName]: input });
    const warmMs = performance.now() - t;
    if (warmMs > slowFactor * bestMs) return { candidate: c, medianMs: warmMs, minMs: warmMs, runsMs: [warmMs], createMs, skipped: 'slow' };
    const runsMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      t = performance.now();
      await session.run({ [inputName]: input });
      runsMs.push(performance.now() - t);
    }
    return { candidate: c, medianMs: median(runsMs), minMs: Math.min(...runsMs), runsMs, createMs };
  } catch (e) {
    return { candidate: c, medianMs: Infinity, minMs: Infinity, runsMs: [], createMs, skipped: `error: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}` };
  } finally {
    await session.release().catch(() => undefined);
  }
}

/** Times every candidate (bounded by the budget) and returns the timings in grid order. */
export async function measureCandidates(
  bytes: Uint8Array,
  inputName: string,
  inputDims: readonly number[],
  candidates: readonly SessionCandidate[],
  opts: { runs?: number; budgetMs?: number; slowFactor?: number; onTiming?: (t: CandidateTiming) => void } = {},
): Promise<CandidateTiming[]> {
  const input = tensorOf(inputDims);
  const budget = opts.budgetMs ?? DEFAULT_BUDGET_MS;
  const start = performance.now();
  const out: CandidateTiming[] = [];
  let best = Infinity;
  for (const c of candidates) {
    if (out.some((t) => !t.skipped) && performance.now() - start > budget) {
      out.push({ candidate: c, medianMs: Infinity, minMs: Infinity, runsMs: [], createMs: 0, skipped: 'budget' });
      continue;
    }
    const r = await measure(bytes, inputName, input, c, opts.runs ?? 3, best, opts.slowFactor ?? SLOW_FACTOR);
    if (!r.skipped) best = Math.min(best, r.minMs);
    out.push(r);
    opts.onTiming?.(r);
  }
  return out;
}

/**
 * Chooses the session options of a model on this machine: a valid cache entry (same model sha256, onnxruntime
 * version, CPU model, core count, input shape, thread bound and overrides) is reused; otherwise the candidates are
 * timed on `inputDims` and the fastest is written to the cache. Both dimensions forced = no measurement at all.
 * A cache that cannot be read or written only costs a re-measurement (never fails the load).
 */
export async function chooseSessionOptions(
  model: { bytes: Uint8Array; sha256: string; inputName: string; inputDims: number[] },
  cfg: SessionTuningConfig,
): Promise<TuningOutcome> {
  const t0 = performance.now();
  const forced = cfg.forced;
  if (forced.level && forced.threads && forced.threads > 0) {
    return { choice: { level: forced.level, threads: forced.threads }, source: 'forced', medianMs: NaN, tuningMs: 0, timings: [] };
  }
  const key: TuningKey = {
    modelSha256: model.sha256,
    ortVersion: ortVersion(),
    cpuModel: cpuModel(),
    cores: availableParallelism(),
    inputDims: [...model.inputDims],
    maxThreads: cfg.maxThreads,
    forced: { ...(forced.level ? { level: forced.level } : {}), ...(forced.threads ? { threads: forced.threads } : {}) },
  };
  const file = cfg.cacheDir ? join(cfg.cacheDir, tuningCacheFileName(key)) : undefined;
  let cacheMiss: string | undefined;
  if (file && !cfg.refresh) {
    let entry: unknown;
    try {
      entry = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      entry = undefined;
      cacheMiss = (e as { code?: string }).code === 'ENOENT' ? 'no entry' : 'unreadable entry';
    }
    if (entry !== undefined) {
      cacheMiss = cacheMismatch(entry, key);
      if (!cacheMiss) {
        const e = entry as TuningCacheEntry;
        return { choice: e.choice, source: 'cache', medianMs: e.medianMs, tuningMs: performance.now() - t0, timings: e.timings ?? [], cacheFile: file };
      }
    }
  } else if (cfg.refresh) cacheMiss = 'refresh requested';
  const timings = await measureCandidates(model.bytes, model.inputName, model.inputDims, candidateGrid(cfg.maxThreads, forced), { runs: cfg.runs, budgetMs: cfg.budgetMs });
  const best = selectFastest(timings);
  if (!best) throw new Error(`no session option set could run the model (${timings.map((t) => `${t.candidate.level}/${t.candidate.threads}: ${t.skipped}`).join('; ')})`);
  const tuningMs = performance.now() - t0;
  if (file && cfg.cacheDir) {
    const entry: TuningCacheEntry = { version: 1, key, choice: best.candidate, medianMs: best.minMs, measuredAt: new Date().toISOString(), tuningMs, timings };
    try {
      await mkdir(cfg.cacheDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(entry, (_k, v: unknown) => (v === Infinity ? null : v), 1) + '\n');
      await rename(tmp, file);
    } catch {
      // A read-only data dir only means measuring again next time.
    }
  }
  return { choice: best.candidate, source: 'measured', medianMs: best.minMs, tuningMs, timings, ...(cacheMiss ? { cacheMiss } : {}), ...(file ? { cacheFile: file } : {}) };
}

/** One log line describing an outcome. */
export function describeTuning(what: string, o: TuningOutcome): string {
  const c = `graphOptimizationLevel '${o.choice.level}', ${o.choice.threads} intra-op thread${o.choice.threads > 1 ? 's' : ''}`;
  if (o.source === 'forced') return `${what}: ${c} (forced by configuration)`;
  if (o.source === 'cache') return `${what}: ${c} (${o.medianMs.toFixed(0)} ms per run, cached choice for this model/CPU/onnxruntime)`;
  return `${what}: ${c} (${o.medianMs.toFixed(0)} ms per run; ${o.timings.length} candidates measured in ${(o.tuningMs / 1000).toFixed(1)} s${o.cacheMiss ? `, ${o.cacheMiss}` : ''})`;
}
