// Real PostgreSQL 15 (a database of this file's own) and real SQLite files in a temp dir.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { StartupError } from '@crowdsafe/server-core';
import { AppConfigModule, loadConfig, type AppConfig } from '@crowdsafe/server-config';
import { ALL_MIGRATIONS } from '@crowdsafe/migrations';
import { CameraRepository } from './camera.repository';
import { openDataSource, pendingSchemaSql, runMigrations } from './data-source';
import { DatabaseModule } from './database.module';
import { DuplicateError } from './errors';
import { MetricsRepository } from './metrics.repository';
import { MetricsRetentionJob } from './metrics-retention.job';
import { EntityName, type MetricRecord } from './records';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database';
import { isTimescale } from './timescale';

const PG_AUTH = process.env.PGPASSWORD ? `${process.env.PGUSER ?? 'postgres'}:${encodeURIComponent(process.env.PGPASSWORD)}` : (process.env.PGUSER ?? 'postgres');
const ADMIN_URL = `postgres://${PG_AUTH}@${process.env.PGHOST ?? '127.0.0.1'}:${process.env.PGPORT ?? '5432'}/postgres`;

jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'cs-db-'));
const scratches: ScratchDatabase[] = [];
const open: DataSource[] = [];

beforeAll(() => Logger.overrideLogger(['error']));
afterAll(async () => {
  for (const ds of open) if (ds.isInitialized) await ds.destroy();
  for (const s of scratches) await s.drop();
  rmSync(dir, { recursive: true, force: true });
});

function pgConfig(url: string, env: Record<string, string> = {}): AppConfig {
  return loadConfig({ DATABASE_URL: url, DATA_DIR: dir, ...env }, dir);
}
function sqliteConfig(file: string): AppConfig {
  return loadConfig({ SQLITE_PATH: join(dir, file), DATA_DIR: dir }, dir);
}
async function scratch(): Promise<ScratchDatabase> {
  const s = await createScratchDatabase(ADMIN_URL, 'cs_db_medium');
  scratches.push(s);
  return s;
}
async function openTracked(config: AppConfig): Promise<DataSource> {
  const ds = await openDataSource(config);
  open.push(ds);
  return ds;
}

describe('PostgreSQL migrations', () => {
  let ds: DataSource;
  let lines: string[];
  let applied: string[];

  beforeAll(async () => {
    const db = await scratch();
    lines = [];
    applied = await runMigrations(pgConfig(db.url), (l) => lines.push(l));
    ds = await openTracked(pgConfig(db.url, { DB_MIGRATIONS_RUN: 'false' }));
  });

  it('runs every migration and prints it', () => {
    expect(applied).toEqual(ALL_MIGRATIONS.map((M) => new M().name));
    expect(lines).toEqual([...applied.map((n) => `Applied migration ${n}`), 'Metrics storage: plain PostgreSQL table.']);
  });

  it('leaves a schema that matches the entities', async () => {
    await expect(pendingSchemaSql(ds)).resolves.toEqual([]);
  });

  it('indexes metrics by its primary key (camera_id, time) only (the redundant DESC index is dropped)', async () => {
    const rows: { indexname: string; indexdef: string }[] = await ds.query(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'metrics'`);
    expect(rows).toEqual([{ indexname: 'PK_metrics', indexdef: expect.stringContaining('(camera_id, "time")') }]);
  });

  it('"latest" can read the primary key backwards', async () => {
    const runner = ds.createQueryRunner(); // one connection: the SET applies to the EXPLAIN
    await runner.query('SET enable_seqscan = off');
    try {
      const plan: { 'QUERY PLAN': string }[] = await runner.query(
        `EXPLAIN SELECT * FROM metrics WHERE camera_id = '00000000-0000-4000-8000-000000000000' ORDER BY "time" DESC LIMIT 1`,
      );
      expect(plan.map((p) => p['QUERY PLAN']).join('\n')).toContain('Index Scan Backward using "PK_metrics"');
    } finally {
      await runner.query('RESET enable_seqscan');
      await runner.release();
    }
  });

  it('records the plain (non-Timescale) path, since timescaledb is not installed here', async () => {
    await expect(isTimescale(ds)).resolves.toBe(false);
  });

  it('has real jsonb / timestamptz / uuid columns', async () => {
    const rows: { column_name: string; data_type: string }[] = await ds.query(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'metrics' AND column_name IN ('camera_id', 'time', 'metadata') ORDER BY column_name`,
    );
    expect(rows).toEqual([
      { column_name: 'camera_id', data_type: 'uuid' },
      { column_name: 'metadata', data_type: 'jsonb' },
      { column_name: 'time', data_type: 'timestamp with time zone' },
    ]);
  });

  it('a second run has nothing to apply', async () => {
    const again: string[] = [];
    await expect(runMigrations(pgConfig(ds.options.type === 'postgres' ? String(ds.options.url) : ''), (l) => again.push(l))).resolves.toEqual([]);
    expect(again[0]).toBe(`Database schema is up to date (${ALL_MIGRATIONS.length} migrations).`);
  });

  it('down migrations revert cleanly and up again matches', async () => {
    for (let i = 0; i < ALL_MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    const tables: unknown[] = await ds.query(`SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'cameras'`);
    expect(tables).toHaveLength(0);
    await ds.runMigrations({ transaction: 'each' });
    await expect(pendingSchemaSql(ds)).resolves.toEqual([]);
  });

  it('an unmigrated database with DB_MIGRATIONS_RUN=false is refused with one line', async () => {
    const db = await scratch();
    const error = await openDataSource(pgConfig(db.url, { DB_MIGRATIONS_RUN: 'false' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as StartupError).message).toMatch(/\d+ migration\(s\) pending .*DB_MIGRATIONS_RUN=false/);
  });

  it('DB_MIGRATIONS_RUN=true migrates at open', async () => {
    const db = await scratch();
    const fresh = await openTracked(pgConfig(db.url));
    await expect(pendingSchemaSql(fresh)).resolves.toEqual([]);
  });
});

describe('startup errors', () => {
  it('unreachable DATABASE_URL -> one StartupError line naming it, without the password', async () => {
    const config = pgConfig('postgres://crowdsafe:s3cret-pw@127.0.0.1:1/crowdsafe', { DB_CONNECT_TIMEOUT_S: '1' });
    const error = await openDataSource(config).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    const { message, hint } = error as StartupError;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/^Cannot connect to PostgreSQL at postgres:\/\/\*\*\*@127\.0\.0\.1:1\/crowdsafe \(DATABASE_URL\): .*ECONNREFUSED/);
    expect(`${message} ${hint}`).not.toContain('s3cret-pw');
  });

  it('a wrong password fails at once with the server reason', async () => {
    const db = await scratch();
    const url = new URL(db.url);
    url.username = 'no_such_user_cs';
    url.password = 'pw';
    const error = await openDataSource(pgConfig(url.toString())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as StartupError).message).toMatch(/\(DATABASE_URL\): .*no_such_user_cs/);
    expect((error as StartupError).message).not.toContain(':pw@');
  });

  it('an SQLite path that cannot be created -> StartupError naming SQLITE_PATH', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a directory');
    const error = await openDataSource(loadConfig({ SQLITE_PATH: join(blocker, 'db.sqlite') }, dir)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as StartupError).message).toMatch(/SQLITE_PATH/);
    expect((error as StartupError).message).not.toContain('\n');
  });
});

// ---- repositories: the same cases on both dialects ----
const dialects: { name: string; config: () => Promise<AppConfig> }[] = [
  { name: 'postgres', config: async () => pgConfig((await scratch()).url) },
  { name: 'sqlite', config: async () => sqliteConfig(`repo-${Date.now()}.sqlite`) },
];

describe.each(dialects)('repositories on $name', ({ name, config }) => {
  let ds: DataSource;
  let cameras: CameraRepository;
  let metrics: MetricsRepository;
  let cfg: AppConfig;

  beforeAll(async () => {
    cfg = await config();
    ds = await openTracked(cfg);
    cameras = new CameraRepository(ds);
    metrics = new MetricsRepository(ds);
  });

  it('the schema matches the entities (SQLite: synchronize is idempotent)', async () => {
    await expect(pendingSchemaSql(ds)).resolves.toEqual([]);
  });

  describe('CameraRepository', () => {
    const byName = async (camera: string) => {
      const found = (await cameras.list()).find((c) => c.name === camera);
      if (!found) throw new Error(`no camera named ${camera}`);
      return found;
    };
    it('starts empty', async () => {
      await expect(cameras.count()).resolves.toBe(0);
      await expect(cameras.list()).resolves.toEqual([]);
    });

    it('create fills the database defaults', async () => {
      const cam = await cameras.create({ name: 'Gate A', sourceType: 'rtsp', sourceUrl: 'rtsp://u:p@cam/1' });
      expect(cam).toMatchObject({
        name: 'Gate A',
        sourceType: 'rtsp',
        sourceUrl: 'rtsp://u:p@cam/1',
        location: null,
        sourceOptions: {},
        isActive: true,
        status: 'offline',
        statusReason: null,
        targetFps: 5,
        zones: [],
        settings: {},
        calibrationData: null,
        createdBy: null,
      });
      expect(cam.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(cam.createdAt).toBeInstanceOf(Date);
      await expect(cameras.findById(cam.id)).resolves.toEqual(cam);
    });

    it('json columns round trip', async () => {
      const zones = [{ id: 'z1', polygon: [[0, 0], [1, 0], [1, 1]] }];
      const cam = await cameras.create({
        name: 'Hall',
        sourceType: 'file',
        sourceUrl: '/media/hall.mp4',
        sourceOptions: { loop: true },
        zones,
        calibrationData: { pxPerM: 42.5 },
        areaM2: 120.5,
        capacity: 300,
        isActive: false,
      });
      await expect(cameras.findById(cam.id)).resolves.toMatchObject({
        sourceOptions: { loop: true },
        zones,
        calibrationData: { pxPerM: 42.5 },
        areaM2: 120.5,
        capacity: 300,
        isActive: false,
      });
    });

    it.each([
      { name: 'not a uuid', id: 'nope' },
      { name: 'an unknown uuid', id: '00000000-0000-4000-8000-000000000000' },
    ])('findById / update / setStatus of $name -> not found', async ({ id }) => {
      await expect(cameras.findById(id)).resolves.toBeNull();
      await expect(cameras.update(id, { location: 'x' })).resolves.toBeNull();
      await expect(cameras.setStatus(id, 'online')).resolves.toBe(false);
    });

    it('a taken name -> DuplicateError (create and update)', async () => {
      await expect(cameras.create({ name: 'Gate A', sourceType: 'usb', sourceUrl: '0' })).rejects.toBeInstanceOf(DuplicateError);
      const other = await cameras.create({ name: 'Gate B', sourceType: 'usb', sourceUrl: '0' });
      await expect(cameras.update(other.id, { name: 'Gate A' })).rejects.toThrow('A camera with name "Gate A" already exists');
    });

    it('update applies a patch, leaves the rest', async () => {
      const cam = await byName('Gate B');
      const updated = await cameras.update(cam.id, { location: 'North', targetFps: 2.5, settings: { a: 1 }, name: undefined });
      expect(updated).toMatchObject({ name: 'Gate B', location: 'North', targetFps: 2.5, settings: { a: 1 } });
    });

    it('setStatus, findActive, list order, count', async () => {
      const gateA = await byName('Gate A');
      await expect(cameras.setStatus(gateA.id, 'error', 'connection refused')).resolves.toBe(true);
      await expect(cameras.findById(gateA.id)).resolves.toMatchObject({ status: 'error', statusReason: 'connection refused' });
      await expect(cameras.setStatus(gateA.id, 'online')).resolves.toBe(true);
      await expect(cameras.findById(gateA.id)).resolves.toMatchObject({ status: 'online', statusReason: null });
      expect((await cameras.list()).map((c) => c.name)).toEqual(['Gate A', 'Gate B', 'Hall']);
      expect((await cameras.findActive()).map((c) => c.name)).toEqual(['Gate A', 'Gate B']);
      await expect(cameras.count()).resolves.toBe(3);
    });

    it('the database enforces the status check', async () => {
      const gateA = await byName('Gate A');
      await expect(cameras.setStatus(gateA.id, 'bogus' as 'online')).rejects.toThrow();
    });
  });

  describe('MetricsRepository', () => {
    const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);
    let cameraId: string;
    beforeAll(async () => {
      cameraId = (await cameras.create({ name: `metrics-${name}`, sourceType: 'file', sourceUrl: '/x.mp4' })).id;
    });
    const at = (s: number) => new Date(T0 + s * 1000);

    it('insertMany of nothing writes nothing', async () => {
      await expect(metrics.insertMany([])).resolves.toBe(0);
      await expect(metrics.latest(cameraId)).resolves.toBeNull();
    });

    it('insertMany of a 1000-row batch', async () => {
      const rows: MetricRecord[] = Array.from({ length: 1000 }, (_, i) => ({
        cameraId,
        time: at(i),
        count: i % 10,
        countMax: (i % 10) + 1,
        density: 0.5,
        flowIn: 1,
        riskScore: (i % 10) / 10,
        riskLevel: i % 10 === 9 ? 'WARNING' : 'SAFE',
        heading: i % 2 ? 90.5 : null,
        metadata: { frames: 5 },
      }));
      const runner = ds.createQueryRunner();
      const query = jest.spyOn(Object.getPrototypeOf(runner) as { query: (sql: string) => Promise<unknown> }, 'query');
      await runner.release();
      try {
        await expect(metrics.insertMany(rows)).resolves.toBe(1000);
        const inserts = query.mock.calls.filter(([sql]) => sql.startsWith('INSERT INTO "metrics"'));
        expect(inserts).toHaveLength(1); // one multi-row statement for the whole batch
      } finally {
        query.mockRestore();
      }
      const [{ n }] = await ds.query(`SELECT COUNT(*) AS n FROM metrics WHERE camera_id = ${ds.options.type === 'postgres' ? '$1' : '?'}`, [cameraId]);
      expect(Number(n)).toBe(1000);
    });

    it('latest returns the newest row, fully typed', async () => {
      await expect(metrics.latest(cameraId)).resolves.toEqual({
        cameraId,
        time: at(999),
        count: 9,
        countMax: 10,
        density: 0.5,
        velocity: null,
        surge: null,
        flowIn: 1,
        flowOut: null,
        riskScore: 0.9,
        riskLevel: 'WARNING',
        heading: 90.5,
        metadata: { frames: 5 },
      });
    });

    it('upserts on (camera_id, time); within one batch the last row wins', async () => {
      await metrics.insertMany([
        { cameraId, time: at(999), count: 1 },
        { cameraId, time: at(999), count: 2, metadata: { v: 2 } },
      ]);
      await expect(metrics.latest(cameraId)).resolves.toMatchObject({ count: 2, countMax: null, riskLevel: null, metadata: { v: 2 } });
    });

    it('round-trips metadata with quotes, backslashes, commas, braces and unicode', async () => {
      const metadata = { note: 'a\\b"c,{d} NULL \'e\'', nested: { list: [1, 'x,y', null] }, unicode: 'Zoë ✓', empty: '' };
      await metrics.insertMany([{ cameraId, time: at(-100_000), count: 1, density: 2.5, riskLevel: 'CAUTION', metadata }]);
      const [row] = await ds.query(`SELECT metadata, density, risk_level FROM metrics WHERE camera_id = ${ds.options.type === 'postgres' ? '$1' : '?'} AND count = 1 ORDER BY time LIMIT 1`, [cameraId]);
      const stored = typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata;
      expect([stored, Number(row.density), row.risk_level]).toEqual([metadata, 2.5, 'CAUTION']);
      await expect(metrics.deleteOlderThan(at(0))).resolves.toBe(1);
    });

    it('refuses a malformed row without writing any', async () => {
      await expect(metrics.insertMany([{ cameraId, time: at(5000), count: 1 }, { cameraId, time: at(5001), count: -1 }])).rejects.toThrow(
        'metric row 1: count must be a non-negative integer',
      );
      await expect(metrics.latest(cameraId)).resolves.toMatchObject({ time: at(999) });
    });

    it.each([360, -1, Number.NaN])('refuses a heading of %p degrees', async (heading) => {
      await expect(metrics.insertMany([{ cameraId, time: at(5000), count: 1, heading }])).rejects.toThrow('metric row 0: heading must be in [0, 360)');
    });

    it.each([
      { name: 'an empty range', start: 2000, end: 2100, interval: 10, out: [] },
      { name: 'start == end', start: 10, end: 10, interval: 10, out: [] },
      {
        name: '10 s buckets, end exclusive',
        start: 0,
        end: 20,
        interval: 10,
        out: [
          { time: at(0), count: 4.5, countMax: 10, samples: 10, density: 0.5, flowIn: 10, riskScore: 0.9, riskLevel: 'WARNING' },
          { time: at(10), count: 4.5, countMax: 10, samples: 10, density: 0.5, flowIn: 10, riskScore: 0.9, riskLevel: 'WARNING' },
        ],
      },
      {
        name: 'buckets are aligned to the epoch, not to start',
        start: 5,
        end: 15,
        interval: 10,
        out: [
          { time: at(0), count: 7, countMax: 10, samples: 5 },
          { time: at(10), count: 2, countMax: 5, samples: 5 },
        ],
      },
      { name: '1 s buckets are the rows', start: 3, end: 5, interval: 1, out: [{ time: at(3), count: 3, countMax: 4, samples: 1 }, { time: at(4), count: 4, countMax: 5, samples: 1 }] },
      { name: 'one hour bucket', start: 0, end: 3600, interval: 3600, out: [{ time: at(0), samples: 1000, countMax: 10 }] },
    ])('range: $name', async ({ start, end, interval, out }) => {
      const buckets = await metrics.range(cameraId, at(start), at(end), interval);
      expect(buckets).toEqual(out.map((o) => expect.objectContaining(o)));
    });

    it.each([0, 86_401, 1.5])('range refuses interval %p', async (interval) => {
      await expect(metrics.range(cameraId, at(0), at(10), interval)).rejects.toThrow(RangeError);
    });

    it('deleteOlderThan deletes only older rows and says how many', async () => {
      await expect(metrics.deleteOlderThan(at(100))).resolves.toBe(100);
      await expect(metrics.deleteOlderThan(at(100))).resolves.toBe(0);
      expect((await metrics.range(cameraId, at(0), at(200), 100)).map((b) => b.samples)).toEqual([100]);
    });

    it('the retention job deletes what is older than METRICS_RETENTION_DAYS', async () => {
      const job = new MetricsRetentionJob({ ...cfg, metrics: { ...cfg.metrics, retentionDays: 1 } }, metrics);
      // "now" is 1 day + 500 s after T0: rows before second 500 are out.
      await expect(job.run(new Date(T0 + 86_400_000 + 500_000))).resolves.toBe(400);
      expect((await metrics.range(cameraId, at(0), at(1000), 1000)).map((b) => b.samples)).toEqual([500]);
    });

    it('deleting the camera cascades to its metrics', async () => {
      await ds.getRepository(EntityName.Camera).delete({ id: cameraId });
      await expect(metrics.latest(cameraId)).resolves.toBeNull();
    });
  });
});

describe('DatabaseModule', () => {
  it('provides the DataSource and repositories, schedules the retention job, closes on shutdown', async () => {
    const config = sqliteConfig('module.sqlite');
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(config), ScheduleModule.forRoot(), DatabaseModule.forRoot(config)],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: ['error'] });
    await app.init();
    const ds = app.get(DataSource);
    expect(ds.isInitialized).toBe(true);
    await expect(app.get(CameraRepository).count()).resolves.toBe(0);
    expect(app.get(SchedulerRegistry).getCronJob('metrics-retention')).toBeDefined();
    await expect(app.get(MetricsRetentionJob).run()).resolves.toBe(0);
    await app.close();
    expect(ds.isInitialized).toBe(false);
  });

  it('a connection failure fails the module with the StartupError (no @nestjs/typeorm retries)', async () => {
    const config = pgConfig('postgres://cs:s3cret-pw@127.0.0.1:1/crowdsafe', { DB_CONNECT_TIMEOUT_S: '1' });
    const compiling = Test.createTestingModule({ imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot(config)] }).compile();
    await expect(compiling).rejects.toThrow(StartupError);
    await expect(compiling).rejects.toThrow(/^Cannot connect to PostgreSQL at postgres:\/\/\*\*\*@127\.0\.0\.1:1\/crowdsafe \(DATABASE_URL\)/);
  });
});
