// Process/host resource sampling for GET /api/system/health: CPU % between two samples, memory, load, disk, GPU.
import { execFile } from 'node:child_process';
import { statfs } from 'node:fs/promises';
import { cpus, freemem, loadavg, totalmem } from 'node:os';

export interface CpuSample {
  /** process.hrtime.bigint() in ns. */
  at: bigint;
  /** Process user+system CPU time, µs. */
  processUs: number;
  /** Host busy and total CPU time over all cores, ms. */
  hostBusyMs: number;
  hostTotalMs: number;
}

export function sampleCpu(): CpuSample {
  const u = process.cpuUsage();
  let busy = 0;
  let total = 0;
  for (const c of cpus()) {
    const t = c.times;
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { at: process.hrtime.bigint(), processUs: u.user + u.system, hostBusyMs: busy, hostTotalMs: total };
}

/**
 * CPU use between two samples: process % of ONE core (can exceed 100 with threads) and host % of all cores.
 * Null when the samples are too close together (< 100 ms) to mean anything.
 */
export function cpuPercent(a: CpuSample, b: CpuSample): { process: number | null; host: number | null } {
  const wallUs = Number(b.at - a.at) / 1000;
  const hostTotal = b.hostTotalMs - a.hostTotalMs;
  const round1 = (v: number) => Math.round(v * 10) / 10;
  return {
    process: wallUs >= 100_000 ? round1((100 * Math.max(0, b.processUs - a.processUs)) / wallUs) : null,
    host: hostTotal > 0 && wallUs >= 100_000 ? round1(Math.min(100, (100 * Math.max(0, b.hostBusyMs - a.hostBusyMs)) / hostTotal)) : null,
  };
}

export interface GpuInfo {
  index: number;
  name: string;
  utilizationPercent: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  temperatureC: number | null;
}

export const NVIDIA_SMI_QUERY = 'index,name,utilization.gpu,memory.used,memory.total,temperature.gpu';

/** Parses `nvidia-smi --query-gpu=<NVIDIA_SMI_QUERY> --format=csv,noheader,nounits` (one GPU per line). */
export function parseNvidiaSmi(out: string): GpuInfo[] {
  const num = (s: string | undefined): number | null => {
    const v = Number((s ?? '').trim());
    return s === undefined || (s ?? '').trim() === '' || !Number.isFinite(v) ? null : v;
  };
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => l.split(',').map((p) => p.trim()))
    .filter((p) => p.length >= 6 && Number.isInteger(Number(p[0])))
    .slice(0, 64)
    .map((p) => ({
      index: Number(p[0]),
      name: (p[1] ?? '').slice(0, 128),
      utilizationPercent: num(p[2]),
      memoryUsedMiB: num(p[3]),
      memoryTotalMiB: num(p[4]),
      temperatureC: num(p[5]),
    }));
}

/** GPUs via nvidia-smi (timeout); null when nvidia-smi is absent or fails. */
export function queryGpus(timeoutMs = 2000): Promise<GpuInfo[] | null> {
  return new Promise((resolve) => {
    try {
      execFile('nvidia-smi', [`--query-gpu=${NVIDIA_SMI_QUERY}`, '--format=csv,noheader,nounits'], { timeout: timeoutMs, maxBuffer: 64 * 1024 }, (err, stdout) => {
        resolve(err ? null : parseNvidiaSmi(String(stdout)));
      });
    } catch {
      resolve(null);
    }
  });
}

export interface DiskInfo {
  path: string;
  freeBytes: number;
  totalBytes: number;
}

/** Free/total bytes of the file system holding `path`; null when it cannot be read. */
export async function diskOf(path: string): Promise<DiskInfo | null> {
  try {
    const s = await statfs(path);
    return { path, freeBytes: Number(s.bavail) * Number(s.bsize), totalBytes: Number(s.blocks) * Number(s.bsize) };
  } catch {
    return null;
  }
}

export function memoryInfo(): { processRssBytes: number; heapUsedBytes: number; heapTotalBytes: number; hostTotalBytes: number; hostFreeBytes: number } {
  const m = process.memoryUsage();
  return { processRssBytes: m.rss, heapUsedBytes: m.heapUsed, heapTotalBytes: m.heapTotal, hostTotalBytes: totalmem(), hostFreeBytes: freemem() };
}

export function loadAverage(): [number, number, number] {
  const [a = 0, b = 0, c = 0] = loadavg();
  return [Math.round(a * 100) / 100, Math.round(b * 100) / 100, Math.round(c * 100) / 100];
}

/** Resolves with run()'s value, or rejects with `Timed out after N ms` (the work itself is not cancelled). */
export function withTimeout<T>(run: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([run, timeout]).finally(() => clearTimeout(timer));
}

/** Nearest-rank percentile of a numeric sample (null when empty); `p` in [0, 100]. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((x, y) => x - y);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? null;
}
