import { Inject, Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RiskLevel } from '@crowdsafe/contracts';
import { BullMqJobDispatcher, InferenceClient, JobDispatcher } from '@crowdsafe/server-ai';
import { EntityName, type MetricRecord } from '@crowdsafe/server-database';
import { LiveEventsPublisher } from '@crowdsafe/server-core';
import { SystemService } from '@crowdsafe/server-system';
import { mergePrometheusTexts, PrometheusMetrics, RISK_LEVEL_VALUE, setCounter } from './prometheus-metrics';

/** A stored second older than this is not exported as the camera's current count/density/risk. */
export const LATEST_MAX_AGE_MS = 60_000;

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 200);

/**
 * Fills the registry at scrape time from the sources the api already has: per-camera frame counters and status from
 * SystemService.stats() (the same numbers as GET /api/system/stats), the latest stored second of each camera
 * (count, density, risk; works on every replica, cameras running here or not), open alerts per camera, the
 * inference client's queue, BullMQ's own export of the inference queues, and the socket.io clients.
 * The inference latency histogram is fed live by the inference client of this process.
 */
@Injectable()
export class MetricsCollector implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Metrics');
  private unsubscribe?: () => void;

  constructor(
    readonly metrics: PrometheusMetrics,
    private readonly system: SystemService,
    private readonly dataSource: DataSource,
    @Optional() @Inject(InferenceClient) private readonly inference: InferenceClient | null = null,
    @Optional() @Inject(JobDispatcher) private readonly dispatcher: JobDispatcher | null = null,
    @Optional() @Inject(LiveEventsPublisher) private readonly live: LiveEventsPublisher | null = null,
  ) {}

  onModuleInit(): void {
    const h = this.metrics.inferenceLatency;
    this.unsubscribe = this.inference?.onLatency((ids, ms) => {
      for (const id of ids) h.observe({ camera_id: id }, ms / 1000);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** The whole exposition: this registry plus BullMQ's export (distributed mode). Never throws for a source that is down. */
  async scrape(): Promise<string> {
    await this.update();
    const texts = [await this.metrics.registry.metrics()];
    if (this.dispatcher instanceof BullMqJobDispatcher) {
      try {
        texts.push(mergePrometheusTexts(await this.dispatcher.prometheusMetrics()));
      } catch (err) {
        this.logger.warn(`BullMQ metrics unavailable: ${errorText(err)}`);
      }
    }
    return texts.join('\n');
  }

  private async update(): Promise<void> {
    const m = this.metrics;
    const stats = await this.system.stats();
    for (const c of [m.framesDecoded, m.framesProcessed, m.framesDropped, m.framesStale, m.ffmpegRestarts]) c.reset();
    for (const g of [m.fpsIn, m.fpsOut, m.up, m.running, m.people, m.density, m.riskLevel, m.riskScore, m.openAlerts]) g.reset();
    const ids = new Set<string>();
    for (const c of stats.cameras) {
      const l = { camera_id: c.cameraId };
      ids.add(c.cameraId);
      setCounter(m.framesDecoded, l, c.framesDecoded);
      setCounter(m.framesProcessed, l, c.framesProcessed);
      setCounter(m.framesDropped, l, c.framesDropped);
      setCounter(m.framesStale, l, c.framesStale);
      setCounter(m.ffmpegRestarts, l, c.restarts);
      m.fpsIn.set(l, c.fpsIn);
      m.fpsOut.set(l, c.fpsOut);
      m.up.set(l, c.status === 'online' ? 1 : 0);
      m.running.set(l, c.running ? 1 : 0);
      m.openAlerts.set(l, 0);
    }
    // Histogram series of deleted cameras go away too (bounded by the cameras that exist).
    const h = m.inferenceLatency as unknown as { hashMap?: Record<string, { labels: Record<string, string> }> };
    for (const v of Object.values(h.hashMap ?? {})) if (v.labels['camera_id'] && !ids.has(v.labels['camera_id'])) m.inferenceLatency.remove(v.labels);

    await Promise.all([this.latestSeconds([...ids]), this.alertsByCamera(ids)]);
    m.alertsOpenTotal.set(stats.alertsOpen ?? 0);
    if (stats.inference) {
      m.inferencePending.set(stats.inference.pending);
      m.inferenceInFlight.set(stats.inference.inFlight);
      m.inferenceFailedJobs.reset();
      setCounter(m.inferenceFailedJobs, {}, stats.inference.failedJobs);
      m.inferenceDroppedRequests.reset();
      setCounter(m.inferenceDroppedRequests, {}, stats.inference.dropped);
    }
    m.socketClients.set(this.socketClients());
  }

  private async latestSeconds(ids: string[]): Promise<void> {
    const m = this.metrics;
    const repo = this.dataSource.getRepository<MetricRecord>(EntityName.Metric);
    const since = Date.now() - LATEST_MAX_AGE_MS;
    await Promise.all(
      ids.map(async (id) => {
        try {
          const row = await repo.findOne({ where: { cameraId: id }, order: { time: 'DESC' } });
          if (!row || new Date(row.time).getTime() < since) return;
          const l = { camera_id: id };
          m.people.set(l, row.count);
          if (row.density !== null && row.density !== undefined) m.density.set(l, Number(row.density));
          if (row.riskScore !== null && row.riskScore !== undefined) m.riskScore.set(l, Number(row.riskScore));
          if (row.riskLevel) m.riskLevel.set(l, RISK_LEVEL_VALUE[row.riskLevel as RiskLevel] ?? -1);
        } catch (err) {
          this.logger.warn(`latest metrics of camera ${id} unavailable: ${errorText(err)}`);
        }
      }),
    );
  }

  private async alertsByCamera(ids: Set<string>): Promise<void> {
    try {
      const rows: { cameraId: string; n: string | number }[] = await this.dataSource
        .createQueryBuilder()
        .from(EntityName.Alert, 'a')
        .select('a.camera_id', 'cameraId')
        .addSelect('COUNT(*)', 'n')
        .where(`a."status" <> 'resolved'`)
        .groupBy('a.camera_id')
        .getRawMany();
      for (const r of rows) if (ids.has(r.cameraId)) this.metrics.openAlerts.set({ camera_id: r.cameraId }, Number(r.n));
    } catch (err) {
      this.logger.warn(`open alerts per camera unavailable: ${errorText(err)}`);
    }
  }

  private socketClients(): number {
    return this.live?.connectedClients() ?? 0;
  }
}
