import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { RetentionPolicy } from '@crowdsafe/server-core';
import { EntityName, type MetricRecord } from '@crowdsafe/server-database';
import { RAW_SUMS_SQL } from './analytics.repository';

const ROLLUP_COLUMNS = [
  'samples', 'count_sum', 'count_max', 'density_sum', 'density_n', 'density_max', 'velocity_sum', 'velocity_n', 'surge_max',
  'flow_in', 'flow_out', 'risk_sum', 'risk_n', 'risk_max', 'risk_rank', 'lvl_safe', 'lvl_caution', 'lvl_warning', 'lvl_critical',
];
/** Cameras with minutes waiting to be re-aggregated at most (beyond it the oldest entry is recomputed later by a backfill). */
const MAX_DIRTY_CAMERAS = 10_000;

/** Per camera, the minutes [from, to) (epoch seconds, multiples of 60) touched by `rows`. */
export function touchedMinutes(rows: readonly Pick<MetricRecord, 'cameraId' | 'time'>[]): Map<string, { from: number; to: number }> {
  const out = new Map<string, { from: number; to: number }>();
  for (const r of rows) {
    const m = Math.floor(r.time.getTime() / 60_000) * 60;
    const cur = out.get(r.cameraId);
    if (!cur) out.set(r.cameraId, { from: m, to: m + 60 });
    else {
      if (m < cur.from) cur.from = m;
      if (m + 60 > cur.to) cur.to = m + 60;
    }
  }
  return out;
}

/**
 * Keeps metrics_minute (per camera and minute: sums, counts, maxima) in step with metrics: after each batch the
 * writer stored, the touched minutes are re-aggregated from the raw rows (idempotent: an upserted second simply
 * recomputes its minute). Failures keep the minutes for the next batch. At start a missing rollup (embedded
 * installs that already had data) is back-filled; hourly, minutes older than METRICS_RETENTION_DAYS are deleted.
 */
@Injectable()
export class MetricsRollup implements OnApplicationBootstrap {
  private readonly logger = new Logger('MetricsRollup');
  private readonly dirty = new Map<string, { from: number; to: number }>();
  private running?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(RetentionPolicy) private readonly policy: RetentionPolicy | null = null,
  ) {}

  private get pg(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  onApplicationBootstrap(): void {
    // Not awaited: a large back-fill must not hold up the start.
    this.backfillIfEmpty().catch((err: unknown) => this.logger.warn(`metrics_minute back-fill failed: ${String(err)}`));
  }

  /** Records rows just written; their minutes are re-aggregated by the next refresh(). */
  mark(rows: readonly Pick<MetricRecord, 'cameraId' | 'time'>[]): void {
    for (const [cam, r] of touchedMinutes(rows)) {
      const cur = this.dirty.get(cam);
      if (cur) {
        cur.from = Math.min(cur.from, r.from);
        cur.to = Math.max(cur.to, r.to);
      } else {
        if (this.dirty.size >= MAX_DIRTY_CAMERAS) this.dirty.delete(this.dirty.keys().next().value as string);
        this.dirty.set(cam, r);
      }
    }
  }

  /** Re-aggregates every marked range (one statement per camera). Concurrent calls share the run in progress. */
  refresh(): Promise<void> {
    this.running ??= this.refreshDirty().finally(() => (this.running = undefined));
    return this.running;
  }

  private async refreshDirty(): Promise<void> {
    const work = [...this.dirty.entries()];
    this.dirty.clear();
    for (const [cameraId, r] of work) {
      try {
        await this.aggregate(cameraId, r.from, r.to);
      } catch (err) {
        this.mark([{ cameraId, time: new Date(r.from * 1000) }, { cameraId, time: new Date((r.to - 60) * 1000) }]);
        throw err;
      }
    }
  }

  /** Recomputes the minutes [fromS, toS) of one camera (or of all cameras with cameraId null) from the raw rows. */
  async aggregate(cameraId: string | null, fromS: number, toS: number): Promise<void> {
    const minute = this.pg ? `(floor(date_part('epoch', m."time") / 60) * 60)::bigint` : `((CAST(strftime('%s', m."time") AS INTEGER) / 60) * 60)`;
    const p = (i: number) => (this.pg ? `$${i}` : '?');
    const from = new Date(fromS * 1000);
    const to = new Date(toS * 1000);
    const params: unknown[] = this.pg ? [from, to] : [sqliteDate(from), sqliteDate(to)];
    let where = `m."time" >= ${p(1)} AND m."time" < ${p(2)}`;
    if (cameraId !== null) {
      params.push(cameraId);
      where += ` AND m."camera_id" = ${p(3)}`;
    }
    await this.dataSource.query(
      `INSERT INTO "metrics_minute" ("camera_id", "minute", ${ROLLUP_COLUMNS.map((c) => `"${c}"`).join(', ')})
       SELECT m."camera_id", ${minute}, ${RAW_SUMS_SQL.join(', ')} FROM "metrics" m WHERE ${where} GROUP BY 1, 2
       ON CONFLICT ("camera_id", "minute") DO UPDATE SET ${ROLLUP_COLUMNS.map((c) => `"${c}" = EXCLUDED."${c}"`).join(', ')}`,
      params,
    );
  }

  /** Builds the rollup from all stored rows when it is empty but metrics is not. Returns whether it ran. */
  async backfillIfEmpty(): Promise<boolean> {
    const [hasRollup] = await this.dataSource.getRepository(EntityName.MetricMinute).find({ take: 1 });
    if (hasRollup) return false;
    const [hasMetrics] = await this.dataSource.getRepository(EntityName.Metric).find({ take: 1 });
    if (!hasMetrics) return false;
    const t0 = Date.now();
    await this.aggregate(null, 0, Math.ceil(Date.now() / 60_000) * 60 + 86_400 * 366);
    this.logger.log(`back-filled metrics_minute from the stored metrics in ${Date.now() - t0} ms`);
    return true;
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'metrics-minute-retention' })
  async retention(now = new Date()): Promise<number> {
    try {
      const days = this.policy?.days('metrics') ?? this.config.metrics.retentionDays;
      const cutoff = Math.floor((now.getTime() - days * 86_400_000) / 60_000) * 60;
      const r = await this.dataSource.createQueryBuilder().delete().from(EntityName.MetricMinute).where('"minute" < :cutoff', { cutoff }).execute();
      return r.affected ?? 0;
    } catch (err) {
      this.logger.error(`metrics_minute retention failed: ${String(err)}`);
      return 0;
    }
  }
}

/** TypeORM's SQLite datetime text: "YYYY-MM-DD HH:MM:SS.SSS" in UTC. */
function sqliteDate(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}
