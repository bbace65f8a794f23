// ./crowdsafe bench analytics — analytics query latency on a week of 1 Hz data:
//   seeds 7 days x 1 Hz (604,800 rows) for one camera (plus a day for a second camera, for compare) into a scratch PostgreSQL
//   database migrated with ALL_MIGRATIONS (TimescaleDB path when the extension is available), then runs each
//   endpoint's query N times and prints p50/p95 (ms). Options: --runs N (default 20), --days D (default 7).
// PostgreSQL from PGHOST/PGPORT/PGUSER/PGPASSWORD (default postgres@127.0.0.1:5432, trust auth).
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '@crowdsafe/migrations';
import { createEntities, createScratchDatabase, isTimescale, MetricsRepository } from '@crowdsafe/server-database';
import type { AppConfig } from '@crowdsafe/server-config';
import { AnalyticsRepository, autoInterval, MetricsRollup } from '@crowdsafe/server-metrics';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

export async function analyticsBench(): Promise<void> {
  const runs = arg('runs', 20);
  const days = arg('days', 7);
  const auth = process.env['PGPASSWORD'] ? `${process.env['PGUSER'] ?? 'postgres'}:${encodeURIComponent(process.env['PGPASSWORD'])}` : (process.env['PGUSER'] ?? 'postgres');
  const adminUrl = `postgres://${auth}@${process.env['PGHOST'] ?? '127.0.0.1'}:${process.env['PGPORT'] ?? '5432'}/postgres`;
  const scratch = await createScratchDatabase(adminUrl, 'cs_bench_analytics');
  const ds = new DataSource({ type: 'postgres', url: scratch.url, entities: createEntities('postgres'), migrations: ALL_MIGRATIONS, migrationsTableName: 'migrations', uuidExtension: 'pgcrypto', installExtensions: false });
  try {
    await ds.initialize();
    await ds.runMigrations();
    const [a, b] = (await ds.query(
      `INSERT INTO "cameras" ("name", "source_type", "source_url") VALUES ('Bench A', 'file', '/a.mp4'), ('Bench B', 'file', '/b.mp4') RETURNING "id"`,
    )) as { id: string }[];
    if (!a || !b) throw new Error('could not create the bench cameras');
    const end = new Date(Date.UTC(2025, 0, 13, 0, 0, 0));
    const start = new Date(end.getTime() - days * 86_400_000);
    const rows = days * 86_400;
    const t0 = performance.now();
    // A daily wave of 0..200 people with noise; density/velocity/risk follow; flow every few seconds.
    for (const [id, phase] of [[a.id, 0], [b.id, 1.3]] as [string, number][]) {
      await ds.query(
        `INSERT INTO "metrics" ("camera_id", "time", "count", "count_max", "density", "velocity", "surge", "flow_in", "flow_out", "risk_score", "risk_level", "metadata")
         SELECT $1::uuid, $2::timestamptz + make_interval(secs => s), c, c + 2, c / 40.0, 1.3 - c / 250.0, 0, (s % 3 = 0)::int, (s % 4 = 0)::int, r,
                CASE WHEN r >= 75 THEN 'CRITICAL' WHEN r >= 50 THEN 'WARNING' WHEN r >= 25 THEN 'CAUTION' ELSE 'SAFE' END, '{}'::jsonb
           FROM (SELECT s, c, LEAST(100, c / 2.0) AS r
                   FROM (SELECT s, GREATEST(0, round(100 + 100 * sin(2 * pi() * s / 86400.0 + $3) + 10 * random()))::int AS c
                           FROM generate_series(0, $4::int - 1) AS s) x) y`,
        [id, start, phase, id === a.id ? rows : Math.min(rows, 86_400)],
      );
    }
    const seeded = (performance.now() - t0) / 1000;
    // The per-minute rollup the writer keeps live, built here in one pass (as the migration back-fill does).
    const r0 = performance.now();
    await new MetricsRollup(ds, { metrics: { retentionDays: 30 } } as AppConfig).aggregate(null, start.getTime() / 1000, end.getTime() / 1000);
    const rolled = (performance.now() - r0) / 1000;
    // What the writer does per batch: re-aggregate the touched minute of one camera.
    const rollup = new MetricsRollup(ds, { metrics: { retentionDays: 30 } } as AppConfig);
    await ds.query('ANALYZE "metrics"');
    await ds.query('ANALYZE "metrics_minute"');
    const ts = await isTimescale(ds);
    const metrics = new MetricsRepository(ds);
    const analytics = new AnalyticsRepository(ds);
    const hour = new Date(end.getTime() - 3_600_000);
    const dayAgo = new Date(end.getTime() - 86_400_000);
    const weekSpan = (end.getTime() - start.getTime()) / 1000;
    const queries: [string, () => Promise<unknown>][] = [
      ['GET /api/metrics/:id (last 1 h, raw 1 s, 3600 points)', () => analytics.buckets(a.id, hour, end, autoInterval(3600))],
      ['GET /api/metrics/:id (last 24 h, 1 min buckets)', () => analytics.buckets(a.id, dayAgo, end, autoInterval(86_400))],
      [`GET /api/metrics/:id (${days} days, ${autoInterval(weekSpan)} s buckets)`, () => analytics.buckets(a.id, new Date(start.getTime() + 17_000), end, autoInterval(weekSpan))],
      ['GET /api/metrics/:id/current', () => metrics.latest(a.id)],
      [`GET /api/metrics/:id/summary (${days} days)`, () => analytics.summary(a.id, start, end)],
      ['GET /api/metrics/:id/summary (24 h)', () => analytics.summary(a.id, dayAgo, end)],
      [`GET /api/analytics/compare (2 cameras, density, ${days} days)`, () => analytics.compare([a.id, b.id], 'density', start, end, autoInterval(weekSpan))],
      [`GET /api/analytics/heatmap/:id (busy hours, ${days} days)`, () => analytics.hourOfWeek(a.id, 'count', start, end, 'Europe/London')],
      ['metrics writer: rollup of 1 camera-minute after a batch', () => rollup.aggregate(a.id, end.getTime() / 1000 - 120, end.getTime() / 1000 - 60)],
      [`(before the rollup) raw GROUP BY over ${days} days`, () => metrics.range(a.id, start, end, autoInterval(weekSpan))],
    ];
    console.log(`analytics queries on PostgreSQL${ts ? ' (TimescaleDB hypertable)' : ' (plain table)'}: ${rows.toLocaleString('en')} rows for one camera (${days} days x 1 Hz) seeded in ${seeded.toFixed(1)} s, rolled up per minute in ${rolled.toFixed(1)} s; ${runs} runs each after 2 warm-up runs`);
    for (const [name, run] of queries) {
      for (let i = 0; i < 2; i++) await run();
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const q0 = performance.now();
        await run();
        times.push(performance.now() - q0);
      }
      console.log(`  ${name.padEnd(62)} p50 ${pct(times, 50).toFixed(1).padStart(7)} ms   p95 ${pct(times, 95).toFixed(1).padStart(7)} ms`);
    }
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await scratch.drop();
  }
}

if (require.main === module) {
  analyticsBench().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
