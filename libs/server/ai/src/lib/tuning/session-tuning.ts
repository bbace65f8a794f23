// Pure part of the onnxruntime session tuner: candidate grid, choice of the fastest, cache key and validity.
// No I/O here (session-tuner.ts measures and reads/writes the cache).

export const GRAPH_OPT_LEVELS = ['disabled', 'basic', 'extended', 'all'] as const;
export type GraphOptLevel = (typeof GRAPH_OPT_LEVELS)[number];

/** One set of session options tried by the tuner (execution mode is always 'sequential': YOLO/FIDT are chains). */
export interface SessionCandidate {
  level: GraphOptLevel;
  threads: number;
}

/** What a caller forces (env overrides): a forced dimension is not searched. */
export interface ForcedOptions {
  level?: GraphOptLevel;
  /** > 0 forces intraOpNumThreads. */
  threads?: number;
}

export interface CandidateTiming {
  candidate: SessionCandidate;
  /** Median of the timed runs (ms); Infinity when the candidate could not run. */
  medianMs: number;
  /**
   * Fastest timed run (ms): what the choice compares. On a shared machine other processes only ever add time, so
   * the best of N estimates a candidate's own cost better than the median (Python's timeit does the same).
   */
  minMs: number;
  /** Every timed run (ms), warm-up excluded. */
  runsMs: number[];
  /** Session creation (graph optimisation) time, ms. */
  createMs: number;
  /** Why it was not fully measured: 'slow' (warm-up already far slower than the best), 'budget', 'error: ...'. */
  skipped?: string;
}

/**
 * Candidates to measure, most promising first (so that a time budget cut keeps the likely winners): levels
 * basic, extended, all, disabled; threads from maxThreads down to 1. Forced dimensions collapse to their value.
 */
export function candidateGrid(maxThreads: number, forced: ForcedOptions = {}): SessionCandidate[] {
  if (!Number.isInteger(maxThreads) || maxThreads < 1) throw new RangeError(`maxThreads must be a positive integer, got ${maxThreads}`);
  const levels: GraphOptLevel[] = forced.level ? [forced.level] : ['basic', 'extended', 'all', 'disabled'];
  const threads = forced.threads && forced.threads > 0 ? [forced.threads] : Array.from({ length: maxThreads }, (_, i) => maxThreads - i);
  const out: SessionCandidate[] = [];
  for (const level of levels) for (const t of threads) out.push({ level, threads: t });
  return out;
}

const LEVEL_RANK: Record<GraphOptLevel, number> = { disabled: 0, basic: 1, extended: 2, all: 3 };

/**
 * The fastest measured candidate (by its best run). Candidates within `tolerance` (default 3 %) of the fastest are treated as
 * ties (timing noise on a shared machine) and the cheaper one wins: fewer threads (leaves cores to decoding and the
 * other model), then the lower optimisation level (faster session creation). Undefined when nothing ran.
 */
export function selectFastest(timings: readonly CandidateTiming[], tolerance = 0.03): CandidateTiming | undefined {
  const ran = timings.filter((t) => Number.isFinite(t.minMs) && !t.skipped);
  if (ran.length === 0) return undefined;
  const best = Math.min(...ran.map((t) => t.minMs));
  const ties = ran.filter((t) => t.minMs <= best * (1 + tolerance));
  ties.sort((a, b) => a.candidate.threads - b.candidate.threads || LEVEL_RANK[a.candidate.level] - LEVEL_RANK[b.candidate.level] || a.minMs - b.minMs);
  return ties[0];
}

/** Median of a non-empty list (Infinity for an empty one). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Infinity;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Everything the choice depends on: a cached choice is reused only when every field is equal. */
export interface TuningKey {
  modelSha256: string;
  ortVersion: string;
  cpuModel: string;
  cores: number;
  /** Input dims the candidates were timed on, e.g. [1, 3, 576, 1024]. */
  inputDims: number[];
  /** Largest thread count searched (the role's bound: the embedded api keeps a core for decoding). */
  maxThreads: number;
  /** Forced dimensions (an override changes what was searched). */
  forced: ForcedOptions;
}

export interface TuningCacheEntry {
  /** File format version. */
  version: 1;
  key: TuningKey;
  choice: SessionCandidate;
  medianMs: number;
  measuredAt: string;
  tuningMs: number;
  timings: CandidateTiming[];
}

/** File name of a model's cache entry inside the cache directory: one file per model and search profile. */
export function tuningCacheFileName(key: Pick<TuningKey, 'modelSha256' | 'inputDims' | 'maxThreads'>): string {
  return `${key.modelSha256.slice(0, 16)}-${key.inputDims.join('x')}-t${key.maxThreads}.json`;
}

function sameForced(a: ForcedOptions, b: ForcedOptions): boolean {
  return (a.level ?? null) === (b.level ?? null) && (a.threads ?? 0) === (b.threads ?? 0);
}

/** Why a cached entry cannot be reused for `key` (undefined = valid). Names the first field that changed. */
export function cacheMismatch(entry: unknown, key: TuningKey): string | undefined {
  if (!entry || typeof entry !== 'object') return 'no entry';
  const e = entry as Partial<TuningCacheEntry>;
  if (e.version !== 1 || !e.key || !e.choice) return 'unknown format';
  const k = e.key;
  if (k.modelSha256 !== key.modelSha256) return 'model changed';
  if (k.ortVersion !== key.ortVersion) return `onnxruntime ${k.ortVersion} -> ${key.ortVersion}`;
  if (k.cpuModel !== key.cpuModel) return 'CPU model changed';
  if (k.cores !== key.cores) return `cores ${k.cores} -> ${key.cores}`;
  if (!Array.isArray(k.inputDims) || k.inputDims.join('x') !== key.inputDims.join('x')) return 'input shape changed';
  if (k.maxThreads !== key.maxThreads) return 'thread bound changed';
  if (!sameForced(k.forced ?? {}, key.forced)) return 'forced options changed';
  if (!GRAPH_OPT_LEVELS.includes(e.choice.level) || !Number.isInteger(e.choice.threads) || e.choice.threads < 1) return 'invalid choice';
  return undefined;
}
