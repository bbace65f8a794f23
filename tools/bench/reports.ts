// ./crowdsafe bench reports — report generation for 7 days x 8 cameras, each format: wall time and peak memory.
//   Seeds a scratch PostgreSQL database (ALL_MIGRATIONS) with 8 cameras x 7 days of metrics, one row every --step
//   seconds (default 10: 60,480 rows per camera; a report reads the per-minute rollup, 10,080 rows per camera, whatever
//   the raw rate), rolls them up per minute as the writer does, then generates a weekly report in PDF and in xlsx with
//   the real loader and renderers (ReportDataLoader + renderPdf / renderXlsx, written to a file) --runs times each.
//   Peak memory = the highest RSS (and heap used) sampled every 20 ms during a run, minus the value before it.
// PostgreSQL from PGHOST/PGPORT/PGUSER/PGPASSWORD (default postgres@127.0.0.1:5432, trust auth).
import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '@crowdsafe/migrations';
import type { AppConfig } from '@crowdsafe/server-config';
import { createEntities, createScratchDatabase } from '@crowdsafe/server-database';
import { MetricsRollup } from '@crowdsafe/server-metrics';
import { ReportDataLoader, renderPdf, renderXlsx, resolveReportParams } from '@crowdsafe/server-reports';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const MB = 1 << 20;

export async function reportsBench(): Promise<void> {
  const runs = arg('runs', 3);
  const step = arg('step', 10);
  const cameras = arg('cameras', 8);
  const auth = process.env['PGPASSWORD'] ? `${process.env['PGUSER'] ?? 'postgres'}:${encodeURIComponent(process.env['PGPASSWORD'])}` : (process.env['PGUSER'] ?? 'postgres');
  const adminUrl = `postgres://${auth}@${process.env['PGHOST'] ?? '127.0.0.1'}:${process.env['PGPORT'] ?? '5432'}/postgres`;
  const scratch = await createScratchDatabase(adminUrl, 'cs_bench_reports');
  const ds = new DataSource({ type: 'postgres', url: scratch.url, entities: createEntities('postgres'), migrations: ALL_MIGRATIONS, migrationsTableName: 'migrations', uuidExtension: 'pgcrypto', installExtensions: false });
  const dir = mkdtempSync(join(tmpdir(), 'cs-bench-reports-'));
  try {
    await ds.initialize();
    await ds.runMigrations();
    const start = new Date(2026, 5, 1);
    const end = new Date(2026, 5, 8);
    const t0 = performance.now();
    for (let c = 0; c < cameras; c++) {
      const [cam] = (await ds.query(`INSERT INTO "cameras" ("name", "source_type", "source_url") VALUES ($1, 'file', '/x.mp4') RETURNING "id"`, [`Camera ${c + 1}`])) as { id: string }[];
      await ds.query(
        `INSERT INTO "metrics" ("camera_id", "time", "count", "count_max", "density", "velocity", "surge", "flow_in", "flow_out", "risk_score", "risk_level", "metadata")
         SELECT $1::uuid, $2::timestamptz + make_interval(secs => s), c, c + 2, c / 40.0, 1.3 - c / 250.0, 0, (s % 3 = 0)::int, (s % 4 = 0)::int, LEAST(1, c / 200.0),
                CASE WHEN c >= 150 THEN 'CRITICAL' WHEN c >= 100 THEN 'WARNING' WHEN c >= 60 THEN 'CAUTION' ELSE 'SAFE' END, '{}'::jsonb
           FROM (SELECT s, GREATEST(0, round(100 + 100 * sin(2 * pi() * s / 86400.0 + $3) + 10 * random()))::int AS c FROM generate_series(0, 7 * 86400 - 1, $4::int) AS s) x`,
        [cam?.id, start, c * 0.7, step],
      );
    }
    await new MetricsRollup(ds, { metrics: { retentionDays: 30 } } as AppConfig).aggregate(null, start.getTime() / 1000, end.getTime() / 1000);
    const [{ n }] = (await ds.query(`SELECT COUNT(*)::int AS n FROM "metrics"`)) as { n: number }[];
    const [{ m }] = (await ds.query(`SELECT COUNT(*)::int AS m FROM "metrics_minute"`)) as { m: number }[];
    console.log(`seeded ${cameras} cameras x 7 days: ${n.toLocaleString('en')} rows (one per ${step} s), ${m.toLocaleString('en')} per-minute rollup rows, in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const loader = new ReportDataLoader(ds);
    const rows: string[] = [];
    for (const format of ['pdf', 'xlsx'] as const) {
      const r = resolveReportParams({ type: 'weekly', format, from: start.toISOString() }, new Date(2026, 6, 1));
      if (!r.ok) throw new Error(r.problems.join('; '));
      const times: number[] = [];
      let peakRss = 0;
      let peakHeap = 0;
      let size = 0;
      for (let i = 0; i < runs; i++) {
        (globalThis as { gc?: () => void }).gc?.();
        const base = process.memoryUsage();
        let rss = base.rss;
        let heap = base.heapUsed;
        const sampler = setInterval(() => {
          const u = process.memoryUsage();
          rss = Math.max(rss, u.rss);
          heap = Math.max(heap, u.heapUsed);
        }, 20);
        const s = performance.now();
        const data = await loader.load(r.params, () => undefined);
        const buf = format === 'pdf' ? await renderPdf(data) : await renderXlsx(data);
        writeFileSync(join(dir, `weekly.${format}`), buf);
        times.push(performance.now() - s);
        clearInterval(sampler);
        const u = process.memoryUsage();
        peakRss = Math.max(peakRss, Math.max(rss, u.rss) - base.rss);
        peakHeap = Math.max(peakHeap, Math.max(heap, u.heapUsed) - base.heapUsed);
        size = buf.length;
      }
      const sorted = [...times].sort((a, b) => a - b);
      rows.push(`| ${format} | ${((sorted[Math.floor(sorted.length / 2)] ?? 0) / 1000).toFixed(2)} s | ${((sorted[sorted.length - 1] ?? 0) / 1000).toFixed(2)} s | +${(peakRss / MB).toFixed(0)} MB | +${(peakHeap / MB).toFixed(0)} MB | ${(size / MB).toFixed(2)} MB |`);
    }
    console.log(`weekly report, ${cameras} cameras x 7 days, ${runs} runs each (median / max wall time; peak RSS and heap above the start of the run):`);
    console.log('| format | median | max | peak RSS | peak heap | file |');
    console.log('|---|---|---|---|---|---|');
    for (const r of rows) console.log(r);
  } finally {
    await ds.destroy().catch(() => undefined);
    await scratch.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
