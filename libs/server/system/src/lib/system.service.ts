import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { Inject, Injectable, Logger, Optional, type OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { BullMqJobDispatcher, InferenceClient, JobDispatcher } from '@crowdsafe/server-ai';
import { CameraLiveQueries, type CameraLiveSummary } from '@crowdsafe/pipeline';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { CameraRepository, EntityName } from '@crowdsafe/server-database';
import { cpuPercent, diskOf, type DiskInfo, type GpuInfo, loadAverage, memoryInfo, queryGpus, sampleCpu, withTimeout } from './host-stats';

/** Each dependency check (database, Redis, queue) gives up after this long and reports 'down'. */
export const CHECK_TIMEOUT_MS = 2000;
/** nvidia-smi is asked at most this often (its answer is cached). */
export const GPU_CACHE_MS = 10_000;

export interface DependencyStatus {
  status: 'up' | 'down';
  latencyMs: number | null;
  error?: string;
}

export interface SystemHealth {
  status: 'ok' | 'degraded';
  uptimeS: number;
  cpu: { processPercent: number | null; hostPercent: number | null; cores: number; loadAverage: [number, number, number] };
  memory: ReturnType<typeof memoryInfo>;
  disk: DiskInfo | null;
  gpus: GpuInfo[] | null;
  database: DependencyStatus & { type: 'postgres' | 'sqlite' };
  redis: (DependencyStatus & { used: true }) | { used: false };
  queue: { type: 'bullmq' | 'in-process'; status: 'up' | 'down'; latencyMs: number | null; waiting: number | null; active: number | null; error?: string };
  cameras: { total: number; running: number; online: number };
  inference: { provider: 'cpu' | 'cuda'; model: string; densityModel: string | null; mode: 'embedded' | 'distributed' };
}

export interface CameraFrameStats {
  cameraId: string;
  name: string;
  status: string;
  running: boolean;
  fpsIn: number;
  fpsOut: number;
  framesDecoded: number;
  framesProcessed: number;
  framesDropped: number;
  framesStale: number;
  /** ffmpeg restarts since the camera's runtime started (0 when not running here). */
  restarts: number;
}

export interface SystemStats {
  cameras: CameraFrameStats[];
  totals: { framesDecoded: number; framesProcessed: number; framesDropped: number; framesStale: number; fpsIn: number; fpsOut: number };
  inference: { jobs: number; frames: number; meanBatchSize: number; dropped: number; failedJobs: number; inFlight: number; pending: number; latencyMs: { p50: number | null; p95: number | null } } | null;
  queue: { type: 'bullmq' | 'in-process'; waiting: number | null; active: number | null };
  alertsOpen: number | null;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 200);
const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * What GET /api/system/health and /stats report. Reads the camera runtimes (when this process runs cameras),
 * the inference client and the job queue; pings the database and Redis with a timeout. Never throws for a
 * dependency that is down: it is reported as such.
 */
@Injectable()
export class SystemService implements OnModuleDestroy {
  private readonly logger = new Logger('System');
  private cpuBase = sampleCpu();
  private redis?: Redis;
  private gpuCache?: { at: number; value: Promise<GpuInfo[] | null> };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly cameras: CameraRepository,
    @Optional() @Inject(CameraLiveQueries) private readonly live: CameraLiveQueries | null = null,
    @Optional() @Inject(InferenceClient) private readonly inference: InferenceClient | null = null,
    @Optional() @Inject(JobDispatcher) private readonly dispatcher: JobDispatcher | null = null,
  ) {}

  async onModuleDestroy(): Promise<void> {
    const r = this.redis;
    this.redis = undefined;
    if (r) await r.quit().catch(() => r.disconnect());
  }

  /** Every running camera's live state, wherever it runs (an api replica without cameras asks the pipelines). */
  private async running(): Promise<Map<string, CameraLiveSummary>> {
    return (await this.live?.summaries().catch(() => null)) ?? new Map();
  }

  async health(): Promise<SystemHealth> {
    const now = sampleCpu();
    const cpu = cpuPercent(this.cpuBase, now);
    // Percentages are over the time since the previous call (or start); keep a minimum window so two quick calls
    // still show something meaningful.
    if (cpu.process !== null) this.cpuBase = now;
    const [database, redis, queue, disk, gpus, cams] = await Promise.all([
      this.pingDatabase(),
      this.pingRedis(),
      this.queueStatus(),
      diskOf(this.config.dataDir),
      this.gpus(),
      this.cameraCounts(),
    ]);
    const degraded = database.status === 'down' || (redis.used && redis.status === 'down') || queue.status === 'down';
    return {
      status: degraded ? 'degraded' : 'ok',
      uptimeS: Math.round(process.uptime()),
      cpu: { processPercent: cpu.process, hostPercent: cpu.host, cores: availableParallelism(), loadAverage: loadAverage() },
      memory: memoryInfo(),
      disk,
      gpus,
      database: { type: this.config.database.type, ...database },
      redis,
      queue,
      cameras: cams,
      inference: {
        provider: this.config.inference.executionProvider,
        model: basename(this.config.inference.modelPath),
        densityModel: this.config.dense.modelPath ? basename(this.config.dense.modelPath) : null,
        mode: this.config.embedded ? 'embedded' : 'distributed',
      },
    };
  }

  async stats(): Promise<SystemStats> {
    const [list, live] = await Promise.all([this.cameras.list(), this.running()]);
    const cameras: CameraFrameStats[] = list.map((c) => {
      const h = live.get(c.id)?.health;
      return {
        cameraId: c.id,
        name: c.name,
        status: h?.status ?? c.status,
        running: !!h,
        fpsIn: h ? round1(h.fpsIn) : 0,
        fpsOut: h ? round1(h.fpsOut) : 0,
        framesDecoded: h?.framesDecoded ?? 0,
        framesProcessed: h?.framesProcessed ?? 0,
        framesDropped: h?.droppedFrames ?? 0,
        framesStale: h?.staleFrames ?? 0,
        restarts: h?.restarts ?? 0,
      };
    });
    const sum = (f: (c: CameraFrameStats) => number) => cameras.reduce((a, c) => a + f(c), 0);
    const inf = this.inference?.stats();
    const q = await this.queueStatus();
    return {
      cameras,
      totals: {
        framesDecoded: sum((c) => c.framesDecoded),
        framesProcessed: sum((c) => c.framesProcessed),
        framesDropped: sum((c) => c.framesDropped),
        framesStale: sum((c) => c.framesStale),
        fpsIn: round1(sum((c) => c.fpsIn)),
        fpsOut: round1(sum((c) => c.fpsOut)),
      },
      inference: inf
        ? {
            jobs: inf.jobs,
            frames: inf.frames,
            meanBatchSize: Math.round(inf.meanBatchSize * 100) / 100,
            dropped: inf.dropped,
            failedJobs: inf.failedJobs,
            inFlight: inf.inFlight,
            pending: inf.pending,
            latencyMs: { p50: inf.latencyMs.p50, p95: inf.latencyMs.p95 },
          }
        : null,
      queue: { type: q.type, waiting: q.waiting, active: q.active },
      alertsOpen: await this.openAlerts(),
    };
  }

  private async cameraCounts(): Promise<SystemHealth['cameras']> {
    const [list, live] = await Promise.all([this.cameras.list().catch(() => []), this.running()]);
    let running = 0;
    let online = 0;
    for (const c of list) {
      const h = live.get(c.id)?.health;
      if (h) running++;
      if ((h?.status ?? c.status) === 'online') online++;
    }
    return { total: list.length, running, online };
  }

  private async pingDatabase(): Promise<DependencyStatus> {
    const t0 = performance.now();
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), CHECK_TIMEOUT_MS);
      return { status: 'up', latencyMs: round1(performance.now() - t0) };
    } catch (err) {
      return { status: 'down', latencyMs: null, error: errorText(err) };
    }
  }

  private async pingRedis(): Promise<SystemHealth['redis']> {
    const url = this.config.queue.redisUrl;
    if (!url) return { used: false };
    if (!this.redis) {
      this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: CHECK_TIMEOUT_MS, retryStrategy: (n) => Math.min(n * 500, 5000) });
      this.redis.on('error', () => undefined); // reported by the ping below, never crashes the process
    }
    const t0 = performance.now();
    try {
      if (this.redis.status === 'wait' || this.redis.status === 'end') await withTimeout(this.redis.connect(), CHECK_TIMEOUT_MS);
      await withTimeout(this.redis.ping(), CHECK_TIMEOUT_MS);
      return { used: true, status: 'up', latencyMs: round1(performance.now() - t0) };
    } catch (err) {
      return { used: true, status: 'down', latencyMs: null, error: errorText(err) };
    }
  }

  private async queueStatus(): Promise<SystemHealth['queue']> {
    if (this.dispatcher instanceof BullMqJobDispatcher) {
      const t0 = performance.now();
      try {
        const counts = await withTimeout(this.dispatcher.counts(), CHECK_TIMEOUT_MS);
        let waiting = 0;
        let active = 0;
        for (const c of Object.values(counts)) {
          waiting += c['waiting'] ?? 0;
          active += c['active'] ?? 0;
        }
        return { type: 'bullmq', status: 'up', latencyMs: round1(performance.now() - t0), waiting, active };
      } catch (err) {
        return { type: 'bullmq', status: 'down', latencyMs: null, waiting: null, active: null, error: errorText(err) };
      }
    }
    const s = this.inference?.stats();
    return { type: this.config.queue.redisUrl ? 'bullmq' : 'in-process', status: 'up', latencyMs: 0, waiting: s ? s.pending : null, active: s ? s.inFlight : null };
  }

  private gpus(): Promise<GpuInfo[] | null> {
    const now = Date.now();
    if (!this.gpuCache || now - this.gpuCache.at > GPU_CACHE_MS) this.gpuCache = { at: now, value: queryGpus(CHECK_TIMEOUT_MS) };
    return this.gpuCache.value;
  }

  private async openAlerts(): Promise<number | null> {
    try {
      return await this.dataSource.createQueryBuilder().from(EntityName.Alert, 'a').where(`a."status" <> 'resolved'`).getCount();
    } catch (err) {
      this.logger.warn(`could not count open alerts: ${errorText(err)}`);
      return null;
    }
  }
}
