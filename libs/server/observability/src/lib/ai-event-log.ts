import { basename } from 'node:path';
import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { BullMqJobDispatcher, type InferenceStats, InferenceClient, JobDispatcher } from '@crowdsafe/server-ai';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { type SystemLogEntry, SystemLogRepository } from '@crowdsafe/server-database';

/** How often the inference counters are compared. */
export const AI_WATCH_INTERVAL_MS = 10_000;
/** At most one `ai.inference_error` row per this window while failures go on. */
export const AI_ERROR_REPEAT_MS = 60_000;

export interface InferenceWatchState {
  failedJobs: number;
  jobs: number;
  failing: boolean;
  lastWrittenAt: number | null;
}

/**
 * Compares two readings of the inference client's counters: failures since the last reading give an
 * `ai.inference_error` row (at most one per AI_ERROR_REPEAT_MS), the first clean interval after failures an
 * `ai.inference_recovered` row. Pure.
 */
export function inferenceTransition(prev: InferenceWatchState, s: Pick<InferenceStats, 'failedJobs' | 'jobs' | 'lastError'>, now: number): { state: InferenceWatchState; entry: SystemLogEntry | null } {
  const failed = s.failedJobs - prev.failedJobs;
  const ok = s.jobs - prev.jobs - Math.max(0, failed);
  const state: InferenceWatchState = { failedJobs: s.failedJobs, jobs: s.jobs, failing: prev.failing, lastWrittenAt: prev.lastWrittenAt };
  if (failed > 0) {
    state.failing = true;
    if (prev.lastWrittenAt !== null && now - prev.lastWrittenAt < AI_ERROR_REPEAT_MS && prev.failing) return { state, entry: null };
    state.lastWrittenAt = now;
    return {
      state,
      entry: { level: 'error', category: 'system', action: 'ai.inference_error', message: `Inference failing: ${failed} job(s) failed in the last ${AI_WATCH_INTERVAL_MS / 1000} s: ${s.lastError ?? 'unknown error'}`, details: { failedJobs: s.failedJobs, failedSinceLast: failed, lastError: s.lastError ?? null } },
    };
  }
  if (prev.failing && ok > 0) {
    state.failing = false;
    state.lastWrittenAt = null;
    return { state, entry: { level: 'info', category: 'system', action: 'ai.inference_recovered', message: `Inference recovered: ${ok} job(s) succeeded since the last failure`, details: { failedJobs: s.failedJobs } } };
  }
  return { state, entry: null };
}

/**
 * AI events in `system_logs` (category system): the models this process loaded (at boot; startup fails when one
 * cannot load) and inference failures / recovery, watched on the inference client's counters.
 */
@Injectable()
export class AiEventLog implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AiEvents');
  private timer?: NodeJS.Timeout;
  private state: InferenceWatchState = { failedJobs: 0, jobs: 0, failing: false, lastWrittenAt: null };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logs: SystemLogRepository,
    @Optional() @Inject(InferenceClient) private readonly inference: InferenceClient | null = null,
    @Optional() @Inject(JobDispatcher) private readonly dispatcher: JobDispatcher | null = null,
  ) {}

  onApplicationBootstrap(): void {
    const inf = this.config.inference;
    if (this.dispatcher && !(this.dispatcher instanceof BullMqJobDispatcher)) {
      this.write({ level: 'info', category: 'system', action: 'ai.model_loaded', message: `Detection model ${basename(inf.modelPath)} loaded in the api process (${inf.executionProvider}, in-process queue)`, details: { model: basename(inf.modelPath), provider: inf.executionProvider } });
    }
    if (this.config.dense.modelPath && this.config.cameras.enabled) {
      this.write({ level: 'info', category: 'system', action: 'ai.model_loaded', message: `Density model ${basename(this.config.dense.modelPath)} loaded (max side ${this.config.dense.maxSide})`, details: { model: basename(this.config.dense.modelPath) } });
    }
    if (!this.inference) return;
    const s = this.inference.stats();
    this.state = { failedJobs: s.failedJobs, jobs: s.jobs, failing: false, lastWrittenAt: null };
    this.timer = setInterval(() => this.check(), AI_WATCH_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  check(now = Date.now()): void {
    if (!this.inference) return;
    const r = inferenceTransition(this.state, this.inference.stats(), now);
    this.state = r.state;
    if (r.entry) this.write(r.entry);
  }

  private write(entry: SystemLogEntry): void {
    this.logs.write(entry).catch((err: unknown) => this.logger.warn(`could not write ${entry.action}: ${err instanceof Error ? err.message : String(err)}`));
  }
}
