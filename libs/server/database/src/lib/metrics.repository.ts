import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { RISK_LEVELS, type RiskLevel } from '@crowdsafe/contracts';
import { isUuid } from './errors';
import { completeMetricRecord, EntityName, type MetricRecord } from './records';
import { isTimescale } from './timescale';
import { dedupeMetricRows, METRIC_UNNEST_COLUMNS, metricUnnestArrays } from './metrics-unnest';

/** One time bucket of `range()`. */
export interface MetricBucket {
  /** Bucket start (UTC), aligned to multiples of the interval since the Unix epoch. */
  time: Date;
  /** Mean of the per-second counts in the bucket, 2 decimals. */
  count: number;
  /** Highest per-frame count in the bucket (count_max, or count where a row has none). */
  countMax: number;
  density: number | null;
  velocity: number | null;
  /** Highest surge value. */
  surge: number | null;
  /** Sum over the bucket. */
  flowIn: number | null;
  flowOut: number | null;
  /** Highest risk score and level. */
  riskScore: number | null;
  riskLevel: RiskLevel | null;
  /** Per-second rows in the bucket. */
  samples: number;
}

/** Rows per INSERT statement: 12 parameters a row stays under SQLite's 32766 and PostgreSQL's 65535 limits. */
export const METRICS_INSERT_CHUNK = 2000;
/** Rows per PostgreSQL unnest upsert (array parameters: no parameter limit; bounds the statement's size). */
export const METRICS_UNNEST_CHUNK = 10_000;
/**
 * PostgreSQL: a large batch is split over this many statements run at once on separate pool connections (the server
 * parses, checks the keys and writes in several backends; ./crowdsafe bench scale measures 1 against this).
 */
export const METRICS_UNNEST_PARALLEL = 4;
/** No statement of a split batch smaller than this (a usual 1 Hz flush stays one statement). */
export const METRICS_UNNEST_MIN_CHUNK = 2_000;

/** How a batch of n rows is cut for `parallel` concurrent statements: chunk sizes, in row order. */
export function unnestChunks(n: number, parallel: number): number[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`unnestChunks: n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(parallel) || parallel < 1) throw new RangeError(`unnestChunks: parallel must be a positive integer, got ${parallel}`);
  if (n === 0) return [];
  // As many statements as `parallel` allows without one under the minimum, more when one would pass the maximum.
  const count = Math.max(Math.max(1, Math.min(parallel, Math.floor(n / METRICS_UNNEST_MIN_CHUNK))), Math.ceil(n / METRICS_UNNEST_CHUNK));
  const size = Math.ceil(n / count);
  const out: number[] = [];
  for (let left = n; left > 0; left -= size) out.push(Math.min(size, left));
  return out;
}

export interface InsertManyOptions {
  /** PostgreSQL: statements run at once for a large batch (default METRICS_UNNEST_PARALLEL; 1: one after another). */
  parallel?: number;
}

const MAX_INTERVAL_S = 86_400;

/** Why a metric row can't be written, or null when it can (checked by insertMany; writers check on enqueue). */
export function metricRecordProblem(r: MetricRecord): string | null {
  if (typeof r.cameraId !== 'string' || !isUuid(r.cameraId)) return `cameraId must be a uuid, got "${String(r.cameraId)}"`;
  if (!(r.time instanceof Date) || Number.isNaN(r.time.getTime())) return 'time is not a valid Date';
  if (!Number.isInteger(r.count) || r.count < 0) return `count must be a non-negative integer, got ${r.count}`;
  if (r.countMax != null && (!Number.isInteger(r.countMax) || r.countMax < 0)) {
    return `countMax must be a non-negative integer or null, got ${r.countMax}`;
  }
  if (r.riskLevel != null && !RISK_LEVELS.includes(r.riskLevel)) return `riskLevel must be one of ${RISK_LEVELS.join(', ')}`;
  if (r.heading != null && !(r.heading >= 0 && r.heading < 360)) return `heading must be in [0, 360) degrees or null, got ${r.heading}`;
  return null;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Per-second metrics: batched upserts, bucketed reads, retention deletes. Same code on PostgreSQL and SQLite. */
@Injectable()
export class MetricsRepository {
  private readonly repo: Repository<MetricRecord>;
  private timescale?: Promise<boolean>;

  constructor(private readonly dataSource: DataSource) {
    this.repo = dataSource.getRepository<MetricRecord>(EntityName.Metric);
  }

  /** True when metrics is a TimescaleDB hypertable (retention by policy, time_bucket for ranges). Cached. */
  isTimescale(): Promise<boolean> {
    this.timescale ??= isTimescale(this.dataSource);
    return this.timescale;
  }

  /**
   * Writes rows with one multi-row INSERT ... ON CONFLICT (camera_id, time) DO UPDATE per chunk of
   * METRICS_INSERT_CHUNK rows (one statement for a usual batch); on PostgreSQL from unnest() arrays, per chunk of
   * METRICS_UNNEST_CHUNK rows. A later row for the same camera and second wins.
   * Returns the number of distinct rows written. Throws TypeError (writing nothing) when a row is malformed.
   */
  async insertMany(rows: readonly MetricRecord[], options: InsertManyOptions = {}): Promise<number> {
    rows.forEach((r, i) => {
      const problem = metricRecordProblem(r);
      if (problem) throw new TypeError(`metric row ${i}: ${problem}`);
    });
    const unique = dedupeMetricRows(rows);
    if (unique.length === 0) return 0;
    const overwrite = ['count', 'count_max', 'density', 'velocity', 'surge', 'flow_in', 'flow_out', 'risk_score', 'risk_level', 'heading', 'metadata'];
    // No wrapping transaction: each statement is atomic and the upsert idempotent, so a failure after some chunks
    // is repaired by retrying the whole batch. (On SQLite TypeORM shares one connection, and concurrent explicit
    // transactions would nest as savepoints.)
    if (this.dataSource.options.type === 'postgres') {
      // Chunks are disjoint in (camera, second) (deduplicated above), so concurrent statements never wait on each
      // other's keys; rows come grouped by camera, so each chunk covers its own cameras (fewer shared foreign-key
      // locks on the same camera rows). At most `parallel` run at once; every one is awaited before a failure is
      // reported, so a retry never overlaps a statement still running.
      const parallel = options.parallel ?? METRICS_UNNEST_PARALLEL;
      const chunks: MetricRecord[][] = [];
      let at = 0;
      for (const size of unnestChunks(unique.length, parallel)) chunks.push(unique.slice(at, (at += size)));
      for (let i = 0; i < chunks.length; i += parallel) {
        const results = await Promise.allSettled(chunks.slice(i, i + parallel).map((c) => this.upsertUnnest(c, overwrite)));
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      }
      return unique.length;
    }
    const values = unique.map(completeMetricRecord);
    for (let i = 0; i < values.length; i += METRICS_INSERT_CHUNK) {
      await this.dataSource
        .createQueryBuilder()
        .insert()
        .into(EntityName.Metric)
        .values(values.slice(i, i + METRICS_INSERT_CHUNK))
        .orUpdate(overwrite, ['camera_id', 'time'])
        .updateEntity(false)
        .execute();
    }
    return values.length;
  }

  /**
   * PostgreSQL: one INSERT ... SELECT FROM unnest(one array parameter per column) ... ON CONFLICT DO UPDATE for many
   * rows: 13 parameters whatever the row count, no per-row SQL text to build or parse (several times the rows/s of a
   * VALUES list; ./crowdsafe bench scale). The arrays are sent as ready array literals (metricUnnestArrays: one pass,
   * no per-element escaping in the driver); times travel as epoch ms (to_timestamp on the server).
   */
  private async upsertUnnest(rows: readonly MetricRecord[], overwrite: string[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO "metrics" ("camera_id", "time", "count", "count_max", "density", "velocity", "surge", "flow_in", "flow_out", "risk_score", "risk_level", "heading", "metadata")
       SELECT u.camera_id, to_timestamp(u.t_ms / 1000.0), u.count, u.count_max, u.density, u.velocity, u.surge, u.flow_in, u.flow_out, u.risk_score, u.risk_level, u.heading, u.metadata
       FROM unnest($1::uuid[], $2::float8[], $3::int[], $4::int[], $5::real[], $6::real[], $7::real[], $8::int[], $9::int[], $10::real[], $11::varchar[], $12::real[], $13::jsonb[])
         AS u(${METRIC_UNNEST_COLUMNS.join(', ')})
       ON CONFLICT ("camera_id", "time") DO UPDATE SET ${overwrite.map((c) => `"${c}" = EXCLUDED."${c}"`).join(', ')}`,
      metricUnnestArrays(rows),
    );
  }

  /**
   * Buckets of `intervalSeconds` (1..86400) over [start, end) for one camera, oldest first; empty buckets are
   * omitted. PostgreSQL: floor of the epoch (time_bucket on TimescaleDB, epoch-aligned the same way); SQLite:
   * integer math on strftime('%s').
   */
  async range(cameraId: string, start: Date, end: Date, intervalSeconds: number): Promise<MetricBucket[]> {
    if (!Number.isInteger(intervalSeconds) || intervalSeconds < 1 || intervalSeconds > MAX_INTERVAL_S) {
      throw new RangeError(`intervalSeconds must be an integer in 1..${MAX_INTERVAL_S}, got ${intervalSeconds}`);
    }
    if (!isUuid(cameraId) || !(start < end)) return [];
    // intervalSeconds is a validated integer, so inlining it is safe (and lets PostgreSQL see a constant).
    const n = intervalSeconds;
    let bucket: string;
    if (this.dataSource.options.type !== 'postgres') bucket = `(CAST(strftime('%s', m."time") AS INTEGER) / ${n}) * ${n}`;
    else if (await this.isTimescale())
      bucket = `extract(epoch FROM time_bucket(make_interval(secs => ${n}), m."time", TIMESTAMPTZ '1970-01-01 00:00:00+00'))`;
    else bucket = `floor(extract(epoch FROM m."time") / ${n}) * ${n}`;
    const rank = `CASE m."risk_level" ${RISK_LEVELS.map((l, i) => `WHEN '${l}' THEN ${i}`).join(' ')} END`;

    const raw = await this.dataSource
      .createQueryBuilder()
      .from(EntityName.Metric, 'm')
      .select(bucket, 'bucket')
      .addSelect('AVG(m."count")', 'count_avg')
      .addSelect('MAX(COALESCE(m."count_max", m."count"))', 'count_max')
      .addSelect('AVG(m."density")', 'density')
      .addSelect('AVG(m."velocity")', 'velocity')
      .addSelect('MAX(m."surge")', 'surge')
      .addSelect('SUM(m."flow_in")', 'flow_in')
      .addSelect('SUM(m."flow_out")', 'flow_out')
      .addSelect('MAX(m."risk_score")', 'risk_score')
      .addSelect(`MAX(${rank})`, 'risk_rank')
      .addSelect('COUNT(*)', 'samples')
      .where('m."camera_id" = :cameraId', { cameraId })
      .andWhere('m."time" >= :start', { start })
      .andWhere('m."time" < :end', { end })
      .groupBy('1')
      .orderBy('1', 'ASC')
      .getRawMany<Record<string, unknown>>();

    return raw.map((r) => ({
      time: new Date(Number(r['bucket']) * 1000),
      count: Math.round(Number(r['count_avg']) * 100) / 100,
      countMax: Number(r['count_max']),
      density: num(r['density']),
      velocity: num(r['velocity']),
      surge: num(r['surge']),
      flowIn: num(r['flow_in']),
      flowOut: num(r['flow_out']),
      riskScore: num(r['risk_score']),
      riskLevel: r['risk_rank'] === null || r['risk_rank'] === undefined ? null : (RISK_LEVELS[Number(r['risk_rank'])] ?? null),
      samples: Number(r['samples']),
    }));
  }

  /** The newest row of a camera, or null. */
  latest(cameraId: string): Promise<MetricRecord | null> {
    if (!isUuid(cameraId)) return Promise.resolve(null);
    return this.repo.findOne({ where: { cameraId }, order: { time: 'DESC' } });
  }

  /** Deletes rows with time < `before` (all cameras); returns how many. */
  async deleteOlderThan(before: Date): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(EntityName.Metric)
      .where('"time" < :before', { before })
      .execute();
    return result.affected ?? 0;
  }
}
