// The metrics sink on real PostgreSQL: rows are idempotent per (camera, second) — a replayed batch or a second write
// of a second never becomes a second row — and a PostgreSQL outage (connections refused, every backend of the
// database terminated with pg_terminate_backend) while a camera keeps writing loses 0 rows and duplicates 0.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { loadConfig, type AppConfig } from '@crowdsafe/server-config';
import { CameraRepository, MetricsRepository, createScratchDatabase, openDataSource, type ScratchDatabase } from '@crowdsafe/server-database';
import { MetricsWriter } from './metrics-writer';
import type { MetricsSink } from './metrics-sink';

jest.setTimeout(120_000);

const PG_AUTH = process.env.PGPASSWORD ? `${process.env.PGUSER ?? 'postgres'}:${encodeURIComponent(process.env.PGPASSWORD)}` : (process.env.PGUSER ?? 'postgres');
const ADMIN_URL = `postgres://${PG_AUTH}@${process.env.PGHOST ?? '127.0.0.1'}:${process.env.PGPORT ?? '5432'}/postgres`;
const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);
const at = (s: number) => new Date(T0 + s * 1000);

describe('MetricsSink on PostgreSQL: idempotent per (camera, second), buffered through an outage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-metrics-sink-'));
  let scratch: ScratchDatabase;
  let cfg: AppConfig;
  let ds: DataSource;
  let admin: Client;
  let sink: MetricsSink & MetricsWriter;
  const cameras: string[] = [];

  const stored = async () => {
    const [r] = (await ds.query(`SELECT COUNT(*)::int AS n, COUNT(DISTINCT (camera_id, "time"))::int AS d FROM metrics`)) as Array<{ n: number; d: number }>;
    return { rows: Number(r.n), distinct: Number(r.d) };
  };

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    scratch = await createScratchDatabase(ADMIN_URL, 'cs_metrics_sink');
    cfg = loadConfig({ DATABASE_URL: scratch.url, DATA_DIR: dir }, dir);
    ds = await openDataSource(cfg, { migrationsRun: true });
    admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    const repo = new CameraRepository(ds);
    for (let i = 0; i < 4; i++) cameras.push((await repo.create({ name: `Sink cam ${i}`, sourceType: 'file', sourceUrl: '/x.mp4' })).id);
    sink = new MetricsWriter(cfg, new MetricsRepository(ds), { capacity: 100_000, warnEveryMs: 3_600_000 });
  });

  afterAll(async () => {
    await admin?.query(`ALTER DATABASE "${scratch.name}" ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin?.end();
    await ds?.destroy().catch(() => undefined);
    await scratch?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the same (camera, second) written twice, in one batch or two, is stored once (the later row wins)', async () => {
    sink.write({ cameraId: cameras[0], time: at(0), count: 1 });
    sink.write({ cameraId: cameras[0], time: at(0), count: 2 });
    await sink.flush();
    sink.write({ cameraId: cameras[0], time: at(0), count: 3 });
    sink.write({ cameraId: cameras[0], time: at(1), count: 4 });
    await sink.flush();
    // A whole batch replayed (a retry after a commit whose acknowledgement was lost).
    for (const s of [0, 1]) sink.write({ cameraId: cameras[0], time: at(s), count: s === 0 ? 3 : 4 });
    await sink.flush();
    expect(await stored()).toEqual({ rows: 2, distinct: 2 });
    const latest = await new MetricsRepository(ds).latest(cameras[0]);
    expect(latest).toMatchObject({ time: at(1), count: 4 });
  });

  it('a PostgreSQL outage while 4 cameras keep writing: 0 rows lost, 0 duplicated once it is back', async () => {
    await ds.query('DELETE FROM metrics');
    const seconds = 60;
    let written = 0;
    const writeSecond = (s: number) => {
      for (const cameraId of cameras) if (sink.write({ cameraId, time: at(1000 + s), count: s % 7 })) written++;
    };
    // 20 s before the outage, flushed every 5 s.
    for (let s = 0; s < 20; s++) {
      writeSecond(s);
      if (s % 5 === 4) await sink.flush();
    }
    // Outage: no new connections, every open one killed.
    await admin.query(`ALTER DATABASE "${scratch.name}" ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [scratch.name]);
    const failedBefore = sink.stats().failedFlushes;
    for (let s = 20; s < 40; s++) {
      writeSecond(s);
      if (s % 5 === 4) await expect(sink.flush()).resolves.toBe(0);
    }
    expect(sink.stats().failedFlushes).toBeGreaterThan(failedBefore);
    expect(sink.stats().buffered).toBeGreaterThanOrEqual(20 * cameras.length);
    // Back: the buffered rows go in with the next flushes, in order, and writing goes on.
    await admin.query(`ALTER DATABASE "${scratch.name}" ALLOW_CONNECTIONS true`);
    for (let s = 40; s < seconds; s++) writeSecond(s);
    for (let i = 0; i < 10 && sink.stats().buffered > 0; i++) {
      await sink.flush();
      if (sink.stats().buffered > 0) await new Promise((r) => setTimeout(r, 500));
    }
    const stats = sink.stats();
    console.log(`metrics sink outage: ${written} rows written by 4 cameras over ${seconds} s, ${stats.failedFlushes} failed flush(es) during the outage, dropped ${stats.dropped}, buffered at the end ${stats.buffered}`);
    expect(stats).toMatchObject({ buffered: 0, dropped: 0 });
    expect(written).toBe(seconds * cameras.length);
    expect(await stored()).toEqual({ rows: seconds * cameras.length, distinct: seconds * cameras.length });
  });
});
