// Analytics queries over the per-second metrics (PostgreSQL / TimescaleDB and SQLite): bucketed ranges, a range
// summary, aligned multi-camera series and hour-of-week statistics. Buckets that are whole minutes read the
// per-minute rollup (metrics_minute, kept by MetricsRollup) for the full minutes and the raw rows only for the
// partial minutes at both ends; every read is bounded by (camera_id, time|minute) primary-key ranges.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RISK_LEVELS, type RiskLevel } from '@crowdsafe/contracts';
import { EntityName, type MetricBucket } from '@crowdsafe/server-database';

export const COMPARE_METRICS = ['count', 'density', 'velocity', 'risk_score'] as const;
export type CompareMetric = (typeof COMPARE_METRICS)[number];
export const BUSY_HOURS_METRICS = ['count', 'density'] as const;
export type BusyHoursMetric = (typeof BUSY_HOURS_METRICS)[number];

export interface MetricsSummary {
  /** Seconds with a stored row. */
  samples: number;
  /** Span asked for, seconds. */
  spanS: number;
  /** samples / span, percent (1 row = 1 second of data). */
  uptimePercent: number;
  countAvg: number | null;
  countPeak: number | null;
  countPeakAt: Date | null;
  densityAvg: number | null;
  densityPeak: number | null;
  densityPeakAt: Date | null;
  riskScoreAvg: number | null;
  riskScorePeak: number | null;
  /** Seconds spent at each tracked level (rows without a level are not counted). */
  secondsAtLevel: Record<RiskLevel, number>;
  flowIn: number | null;
  flowOut: number | null;
  first: Date | null;
  last: Date | null;
}

export interface CompareSeries {
  /** Bucket starts, epoch-aligned, covering [from, to). */
  times: Date[];
  /** Per camera, one value per bucket (null = no data). */
  series: { cameraId: string; values: (number | null)[] }[];
}

export interface HourOfWeekCell {
  /** 0 = Monday ... 6 = Sunday (local time in the requested zone). */
  weekday: number;
  hour: number;
  /** Mean of the metric over the seconds observed in this hour of the week (null: none). */
  avg: number | null;
  peak: number | null;
  /** Seconds with data. */
  samples: number;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const round = (v: number | null, d = 3): number | null => (v === null || !Number.isFinite(v) ? null : Math.round(v * 10 ** d) / 10 ** d);

/** Local weekday (0 = Monday) and hour of an instant in an IANA zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();
export function localWeekHour(at: Date, timeZone: string): { weekday: number; hour: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', hourCycle: 'h23' });
    if (formatters.size >= 64) formatters.clear(); // bounded: time zones come from requests
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const wd = parts.find((p) => p.type === 'weekday')?.value ?? 'Mon';
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0) % 24;
  return { weekday: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(wd), hour };
}

/**
 * Folds hourly UTC buckets (sum, samples, peak) into the 7 x 24 hour-of-week table of a time zone. Exact for zones
 * whose offset is a whole number of hours; half-hour zones put each UTC hour into the local hour it starts in.
 */
export function foldHourOfWeek(rows: readonly { hourStart: Date; sum: number; samples: number; peak: number | null }[], timeZone: string): HourOfWeekCell[] {
  const acc = Array.from({ length: 168 }, () => ({ sum: 0, samples: 0, peak: null as number | null }));
  for (const r of rows) {
    if (r.samples <= 0) continue;
    const { weekday, hour } = localWeekHour(r.hourStart, timeZone);
    const cell = acc[weekday * 24 + hour];
    if (!cell) continue;
    cell.sum += r.sum;
    cell.samples += r.samples;
    if (r.peak !== null && (cell.peak === null || r.peak > cell.peak)) cell.peak = r.peak;
  }
  return acc.map((c, i) => ({ weekday: Math.floor(i / 24), hour: i % 24, avg: c.samples ? round(c.sum / c.samples) : null, peak: c.peak, samples: c.samples }));
}

/** Sums and counts of one bucket (raw seconds or rollup minutes combine the same way). */
export interface BucketSums {
  samples: number;
  countSum: number;
  countMax: number | null;
  densitySum: number;
  densityN: number;
  densityMax: number | null;
  velocitySum: number;
  velocityN: number;
  surgeMax: number | null;
  flowIn: number | null;
  flowOut: number | null;
  riskSum: number;
  riskN: number;
  riskMax: number | null;
  riskRank: number | null;
  levels: [number, number, number, number];
}

const maxOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));
const addOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : a + b);

/** Combines b into a (in place) and returns a. */
export function mergeSums(a: BucketSums, b: BucketSums): BucketSums {
  a.samples += b.samples;
  a.countSum += b.countSum;
  a.countMax = maxOf(a.countMax, b.countMax);
  a.densitySum += b.densitySum;
  a.densityN += b.densityN;
  a.densityMax = maxOf(a.densityMax, b.densityMax);
  a.velocitySum += b.velocitySum;
  a.velocityN += b.velocityN;
  a.surgeMax = maxOf(a.surgeMax, b.surgeMax);
  a.flowIn = addOf(a.flowIn, b.flowIn);
  a.flowOut = addOf(a.flowOut, b.flowOut);
  a.riskSum += b.riskSum;
  a.riskN += b.riskN;
  a.riskMax = maxOf(a.riskMax, b.riskMax);
  a.riskRank = maxOf(a.riskRank, b.riskRank);
  for (let i = 0; i < 4; i++) a.levels[i] = (a.levels[i] ?? 0) + (b.levels[i] ?? 0);
  return a;
}

export function emptySums(): BucketSums {
  return { samples: 0, countSum: 0, countMax: null, densitySum: 0, densityN: 0, densityMax: null, velocitySum: 0, velocityN: 0, surgeMax: null, flowIn: null, flowOut: null, riskSum: 0, riskN: 0, riskMax: null, riskRank: null, levels: [0, 0, 0, 0] };
}

/** A bucket as GET /api/metrics/:id returns it: mean count/density/velocity, max surge/risk, summed flow. */
export function bucketOf(time: Date, s: BucketSums): MetricBucket {
  return {
    time,
    count: s.samples ? Math.round((s.countSum / s.samples) * 100) / 100 : 0,
    countMax: s.countMax ?? 0,
    density: s.densityN ? s.densitySum / s.densityN : null,
    velocity: s.velocityN ? s.velocitySum / s.velocityN : null,
    surge: s.surgeMax,
    flowIn: s.flowIn,
    flowOut: s.flowOut,
    riskScore: s.riskMax,
    riskLevel: s.riskRank === null ? null : (RISK_LEVELS[s.riskRank] ?? null),
    samples: s.samples,
  };
}

/** Rank of the tracked level in SQL (index in RISK_LEVELS). */
const RANK_SQL = `CASE m."risk_level" ${RISK_LEVELS.map((l, i) => `WHEN '${l}' THEN ${i}`).join(' ')} END`;
/** The sums of raw per-second rows, in BucketSums order. */
export const RAW_SUMS_SQL = [
  'COUNT(*)',
  'SUM(m."count")',
  'MAX(COALESCE(m."count_max", m."count"))',
  'SUM(m."density")',
  'COUNT(m."density")',
  'MAX(m."density")',
  'SUM(m."velocity")',
  'COUNT(m."velocity")',
  'MAX(m."surge")',
  'SUM(m."flow_in")',
  'SUM(m."flow_out")',
  'SUM(m."risk_score")',
  'COUNT(m."risk_score")',
  'MAX(m."risk_score")',
  `MAX(${RANK_SQL})`,
  ...RISK_LEVELS.map((l) => `SUM(CASE WHEN m."risk_level" = '${l}' THEN 1 ELSE 0 END)`),
];
/** The same sums over rollup minutes. */
const ROLLUP_SUMS_SQL = [
  'SUM(r."samples")',
  'SUM(r."count_sum")',
  'MAX(r."count_max")',
  'SUM(r."density_sum")',
  'SUM(r."density_n")',
  'MAX(r."density_max")',
  'SUM(r."velocity_sum")',
  'SUM(r."velocity_n")',
  'MAX(r."surge_max")',
  'SUM(r."flow_in")',
  'SUM(r."flow_out")',
  'SUM(r."risk_sum")',
  'SUM(r."risk_n")',
  'MAX(r."risk_max")',
  'MAX(r."risk_rank")',
  'SUM(r."lvl_safe")',
  'SUM(r."lvl_caution")',
  'SUM(r."lvl_warning")',
  'SUM(r."lvl_critical")',
];

function sumsOfRow(r: Record<string, unknown>): BucketSums {
  const n = (k: number) => Number(r[`s${k}`] ?? 0);
  const nn = (k: number) => num(r[`s${k}`]);
  return {
    samples: n(0),
    countSum: n(1),
    countMax: nn(2),
    densitySum: n(3),
    densityN: n(4),
    densityMax: nn(5),
    velocitySum: n(6),
    velocityN: n(7),
    surgeMax: nn(8),
    flowIn: nn(9),
    flowOut: nn(10),
    riskSum: n(11),
    riskN: n(12),
    riskMax: nn(13),
    riskRank: nn(14),
    levels: [n(15), n(16), n(17), n(18)],
  };
}

const selectList = (exprs: readonly string[]) => exprs.map((e, i) => `${e} AS "s${i}"`).join(', ');

@Injectable()
export class AnalyticsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get pg(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  /** SQL for the epoch second of `m."time"` floored to `n` seconds (n a validated integer). */
  rawBucketSql(n: number): string {
    if (!this.pg) return `((CAST(strftime('%s', m."time") AS INTEGER) / ${n}) * ${n})`;
    // date_part is double precision (extract() is numeric since PostgreSQL 14, several times slower to group on).
    return `(floor(date_part('epoch', m."time") / ${n}) * ${n})`;
  }

  /**
   * Sums per (camera, bucket of intervalS) over [from, to). Whole-minute buckets read the rollup for the full
   * minutes inside the range and raw rows for the partial minutes at its ends.
   */
  async sums(cameraIds: readonly string[], from: Date, to: Date, intervalS: number): Promise<Map<string, Map<number, BucketSums>>> {
    if (!Number.isInteger(intervalS) || intervalS < 1 || intervalS > 86_400) throw new RangeError(`interval must be an integer in 1..86400, got ${intervalS}`);
    const out = new Map<string, Map<number, BucketSums>>(cameraIds.map((id) => [id, new Map<number, BucketSums>()]));
    if (cameraIds.length === 0 || !(from < to)) return out;
    const add = (rows: Record<string, unknown>[]) => {
      for (const r of rows) {
        const cam = out.get(String(r['camera_id']));
        if (!cam) continue;
        const b = Number(r['bucket']);
        const s = sumsOfRow(r);
        const cur = cam.get(b);
        cam.set(b, cur ? mergeSums(cur, s) : s);
      }
    };
    const fromS = from.getTime() / 1000;
    const toS = to.getTime() / 1000;
    const midFrom = Math.ceil(fromS / 60) * 60;
    const midTo = Math.floor(toS / 60) * 60;
    if (intervalS % 60 === 0 && midTo > midFrom) {
      const [a, b, c] = await Promise.all([
        midFrom > fromS ? this.rawSums(cameraIds, from, new Date(midFrom * 1000), intervalS) : Promise.resolve([]),
        this.rollupSums(cameraIds, midFrom, midTo, intervalS),
        toS > midTo ? this.rawSums(cameraIds, new Date(midTo * 1000), to, intervalS) : Promise.resolve([]),
      ]);
      add(a);
      add(b);
      add(c);
    } else {
      add(await this.rawSums(cameraIds, from, to, intervalS));
    }
    return out;
  }

  private rawSums(cameraIds: readonly string[], from: Date, to: Date, n: number): Promise<Record<string, unknown>[]> {
    return this.dataSource
      .createQueryBuilder()
      .from(EntityName.Metric, 'm')
      .select('m."camera_id"', 'camera_id')
      .addSelect(this.rawBucketSql(n), 'bucket')
      .addSelect(selectList(RAW_SUMS_SQL))
      .where('m."camera_id" IN (:...cameraIds)', { cameraIds })
      .andWhere('m."time" >= :from', { from })
      .andWhere('m."time" < :to', { to })
      .groupBy('1')
      .addGroupBy('2')
      .getRawMany<Record<string, unknown>>();
  }

  private rollupSums(cameraIds: readonly string[], fromMinute: number, toMinute: number, n: number): Promise<Record<string, unknown>[]> {
    return this.dataSource
      .createQueryBuilder()
      .from(EntityName.MetricMinute, 'r')
      .select('r."camera_id"', 'camera_id')
      .addSelect(`((r."minute" / ${n}) * ${n})`, 'bucket')
      .addSelect(selectList(ROLLUP_SUMS_SQL))
      .where('r."camera_id" IN (:...cameraIds)', { cameraIds })
      .andWhere('r."minute" >= :fromMinute', { fromMinute })
      .andWhere('r."minute" < :toMinute', { toMinute })
      .groupBy('1')
      .addGroupBy('2')
      .getRawMany<Record<string, unknown>>();
  }

  /** GET /api/metrics/:id buckets of one camera, oldest first (empty buckets omitted). */
  async buckets(cameraId: string, from: Date, to: Date, intervalS: number): Promise<MetricBucket[]> {
    if (intervalS === 1 && from < to) return this.seconds(cameraId, from, to);
    const m = (await this.sums([cameraId], from, to, intervalS)).get(cameraId) ?? new Map<number, BucketSums>();
    return [...m.entries()].sort((a, b) => a[0] - b[0]).map(([t, s]) => bucketOf(new Date(t * 1000), s));
  }

  /** 1-second buckets are the stored rows themselves: read them without grouping (primary-key range scan). */
  private async seconds(cameraId: string, from: Date, to: Date): Promise<MetricBucket[]> {
    const rows = await this.dataSource
      .createQueryBuilder()
      .from(EntityName.Metric, 'm')
      .select('m."time"', 'time')
      .addSelect(['m."count" AS "count"', 'm."count_max" AS "count_max"', 'm."density" AS "density"', 'm."velocity" AS "velocity"', 'm."surge" AS "surge"'])
      .addSelect(['m."flow_in" AS "flow_in"', 'm."flow_out" AS "flow_out"', 'm."risk_score" AS "risk_score"', 'm."risk_level" AS "risk_level"'])
      .where('m."camera_id" = :cameraId', { cameraId })
      .andWhere('m."time" >= :from', { from })
      .andWhere('m."time" < :to', { to })
      .orderBy('m."time"', 'ASC')
      .getRawMany<Record<string, unknown>>();
    return rows.map((r) => {
      const count = Number(r['count']);
      const level = r['risk_level'];
      return {
        time: new Date(Math.floor(toDate(r['time']).getTime() / 1000) * 1000),
        count,
        countMax: num(r['count_max']) ?? count,
        density: num(r['density']),
        velocity: num(r['velocity']),
        surge: num(r['surge']),
        flowIn: num(r['flow_in']),
        flowOut: num(r['flow_out']),
        riskScore: num(r['risk_score']),
        riskLevel: typeof level === 'string' && (RISK_LEVELS as readonly string[]).includes(level) ? (level as RiskLevel) : null,
        samples: 1,
      };
    });
  }

  /** Summary of one camera over [from, to). */
  async summary(cameraId: string, from: Date, to: Date): Promise<MetricsSummary> {
    const spanS = Math.max(0, (to.getTime() - from.getTime()) / 1000);
    const days = (await this.sums([cameraId], from, to, 86_400)).get(cameraId) ?? new Map<number, BucketSums>();
    const t = [...days.values()].reduce((acc, s) => mergeSums(acc, s), emptySums());
    const [countPeakAt, densityPeakAt, edges] = await Promise.all([
      this.firstReaching(cameraId, from, to, 'COALESCE(m."count_max", m."count")', 'count_max', t.countMax),
      this.firstReaching(cameraId, from, to, 'm."density"', 'density_max', t.densityMax),
      t.samples ? this.firstLast(cameraId, from, to) : Promise.resolve({ first: null, last: null }),
    ]);
    return {
      samples: t.samples,
      spanS,
      uptimePercent: spanS > 0 ? Math.round(Math.min(100, (100 * t.samples) / spanS) * 100) / 100 : 0,
      countAvg: t.samples ? round(t.countSum / t.samples, 2) : null,
      countPeak: t.countMax,
      countPeakAt,
      densityAvg: t.densityN ? round(t.densitySum / t.densityN) : null,
      densityPeak: round(t.densityMax),
      densityPeakAt,
      riskScoreAvg: t.riskN ? round(t.riskSum / t.riskN, 2) : null,
      riskScorePeak: round(t.riskMax, 2),
      secondsAtLevel: Object.fromEntries(RISK_LEVELS.map((l, i) => [l, t.levels[i] ?? 0])) as Record<RiskLevel, number>,
      flowIn: t.flowIn,
      flowOut: t.flowOut,
      first: edges.first,
      last: edges.last,
    };
  }

  /** First and last second with data (primary-key index: one row each). */
  private async firstLast(cameraId: string, from: Date, to: Date): Promise<{ first: Date | null; last: Date | null }> {
    const one = async (dir: 'ASC' | 'DESC') => {
      const [row] = await this.dataSource.query<Record<string, unknown>[]>(...this.sql(
        `SELECT m."time" AS "time" FROM "metrics" m WHERE m."camera_id" = :cameraId AND m."time" >= :from AND m."time" < :to ORDER BY m."time" ${dir} LIMIT 1`,
        { cameraId, from, to },
      ));
      return row ? toDate(row['time']) : null;
    };
    const [first, last] = await Promise.all([one('ASC'), one('DESC')]);
    return { first, last };
  }

  /**
   * The first second in [from, to) whose `expr` reaches `value` (a peak): the partial minute at the start (raw),
   * else the first full minute reaching it (rollup) searched second by second, else the partial minute at the end.
   */
  private async firstReaching(cameraId: string, from: Date, to: Date, expr: string, rollupCol: string, value: number | null): Promise<Date | null> {
    if (value === null) return null;
    // float4 (PostgreSQL real) and float8 disagree in the last digits: compare with a relative tolerance.
    const v = value - 1e-6 * Math.max(1, Math.abs(value));
    const cmp = this.pg ? 'CAST(:v AS double precision)' : ':v';
    const raw = async (a: Date, b: Date): Promise<Date | null> => {
      if (!(a < b)) return null;
      const [row] = await this.dataSource.query<Record<string, unknown>[]>(...this.sql(
        `SELECT m."time" AS "time" FROM "metrics" m WHERE m."camera_id" = :cameraId AND m."time" >= :a AND m."time" < :b AND ${expr} >= ${cmp} ORDER BY m."time" ASC LIMIT 1`,
        { cameraId, a, b, v },
      ));
      return row ? toDate(row['time']) : null;
    };
    const fromS = from.getTime() / 1000;
    const toS = to.getTime() / 1000;
    const midFrom = Math.ceil(fromS / 60) * 60;
    const midTo = Math.floor(toS / 60) * 60;
    if (midTo <= midFrom) return raw(from, to);
    const head = await raw(from, new Date(midFrom * 1000));
    if (head) return head;
    const [minute] = await this.dataSource.query<Record<string, unknown>[]>(...this.sql(
      `SELECT r."minute" AS "minute" FROM "metrics_minute" r WHERE r."camera_id" = :cameraId AND r."minute" >= :midFrom AND r."minute" < :midTo AND r."${rollupCol}" >= ${cmp} ORDER BY r."minute" ASC LIMIT 1`,
      { cameraId, midFrom, midTo, v },
    ));
    if (minute) {
      const m = Number(minute['minute']);
      const inMinute = await raw(new Date(m * 1000), new Date((m + 60) * 1000));
      if (inMinute) return inMinute;
    }
    return raw(new Date(midTo * 1000), to);
  }

  /** One metric of several cameras in aligned buckets of `intervalS` over [from, to). */
  async compare(cameraIds: readonly string[], metric: CompareMetric, from: Date, to: Date, intervalS: number): Promise<CompareSeries> {
    if (!Number.isInteger(intervalS) || intervalS < 1 || intervalS > 86_400) throw new RangeError(`interval must be an integer in 1..86400, got ${intervalS}`);
    const start = Math.floor(from.getTime() / 1000 / intervalS) * intervalS;
    const times: Date[] = [];
    for (let t = start; t * 1000 < to.getTime(); t += intervalS) times.push(new Date(t * 1000));
    const sums = await this.sums(cameraIds, from, to, intervalS);
    const value = (s: BucketSums): number | null => {
      switch (metric) {
        case 'count':
          return s.samples ? round(s.countSum / s.samples, 2) : null;
        case 'density':
          return s.densityN ? round(s.densitySum / s.densityN) : null;
        case 'velocity':
          return s.velocityN ? round(s.velocitySum / s.velocityN) : null;
        case 'risk_score':
          return s.riskN ? round(s.riskSum / s.riskN, 2) : null;
      }
    };
    return {
      times,
      series: cameraIds.map((cameraId) => {
        const m = sums.get(cameraId);
        return { cameraId, values: times.map((t) => { const s = m?.get(t.getTime() / 1000); return s ? value(s) : null; }) };
      }),
    };
  }

  /** Hour-of-week (weekday x hour, local time of `timeZone`) mean and peak of count or density over [from, to). */
  async hourOfWeek(cameraId: string, metric: BusyHoursMetric, from: Date, to: Date, timeZone: string): Promise<HourOfWeekCell[]> {
    const hours = (await this.sums([cameraId], from, to, 3600)).get(cameraId) ?? new Map<number, BucketSums>();
    const rows = [...hours.entries()].map(([h, s]) =>
      metric === 'count'
        ? { hourStart: new Date(h * 1000), sum: s.countSum, samples: s.samples, peak: s.countMax }
        : { hourStart: new Date(h * 1000), sum: s.densitySum, samples: s.densityN, peak: s.densityMax === null ? null : round(s.densityMax) },
    );
    return foldHourOfWeek(rows, timeZone);
  }

  /** Named parameters -> the driver's positional form ($n on PostgreSQL, ? on SQLite); dates as the driver stores them. */
  private sql(query: string, params: Record<string, unknown>): [string, unknown[]] {
    const values: unknown[] = [];
    const text = query.replace(/:(\w+)/g, (_m, name: string) => {
      let v = params[name];
      if (v instanceof Date && !this.pg) v = sqliteDate(v);
      values.push(v);
      return this.pg ? `$${values.length}` : '?';
    });
    return [text, values];
  }
}

/** TypeORM's SQLite datetime text: "YYYY-MM-DD HH:MM:SS.SSS" in UTC. */
function sqliteDate(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  const s = String(v);
  // SQLite returns "YYYY-MM-DD HH:MM:SS.SSS" (UTC, no zone).
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`);
}
