// MetricsWriter through a real database (PostgreSQL and SQLite) and MetricsController over HTTP (Nest + supertest,
// SQLite file in a temp dir).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type INestApplication, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppConfigModule, loadConfig, type AppConfig } from '@crowdsafe/server-config';
import {
  CameraRepository,
  DatabaseModule,
  MetricsRepository,
  createScratchDatabase,
  openDataSource,
  type ScratchDatabase,
} from '@crowdsafe/server-database';
import { MetricsModule } from './metrics.module';
import { MetricsWriter } from './metrics-writer';

jest.setTimeout(120_000);

const PG_AUTH = process.env.PGPASSWORD ? `${process.env.PGUSER ?? 'postgres'}:${encodeURIComponent(process.env.PGPASSWORD)}` : (process.env.PGUSER ?? 'postgres');
const ADMIN_URL = `postgres://${PG_AUTH}@${process.env.PGHOST ?? '127.0.0.1'}:${process.env.PGPORT ?? '5432'}/postgres`;
const dir = mkdtempSync(join(tmpdir(), 'cs-metrics-'));
const scratches: ScratchDatabase[] = [];
const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);
const at = (s: number) => new Date(T0 + s * 1000);

beforeAll(() => Logger.overrideLogger(['error']));
afterAll(async () => {
  for (const s of scratches) await s.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function appFor(config: AppConfig): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot(config), MetricsModule],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  app.setGlobalPrefix('api');
  await app.init();
  return app;
}

const dialects = [
  {
    name: 'postgres',
    config: async () => {
      const db = await createScratchDatabase(ADMIN_URL, 'cs_metrics_medium');
      scratches.push(db);
      return loadConfig({ DATABASE_URL: db.url, DATA_DIR: dir }, dir);
    },
  },
  { name: 'sqlite', config: async () => loadConfig({ SQLITE_PATH: join(dir, `writer-${Date.now()}.sqlite`) }, dir) },
];

describe.each(dialects)('MetricsWriter on $name', ({ config }) => {
  let cfg: AppConfig;
  let app: INestApplication;
  let cameraId: string;

  beforeAll(async () => {
    cfg = await config();
    app = await appFor(cfg);
    cameraId = (await app.get(CameraRepository).create({ name: 'Writer cam', sourceType: 'file', sourceUrl: '/x.mp4' })).id;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('an empty flush writes nothing', async () => {
    await expect(app.get(MetricsWriter).flush()).resolves.toBe(0);
  });

  it('flush writes the buffered rows in one batch', async () => {
    const writer = app.get(MetricsWriter);
    for (let i = 0; i < 50; i++) writer.enqueue({ cameraId, time: at(i), count: i, countMax: i + 2, metadata: { frames: 5 } });
    await expect(writer.flush()).resolves.toBe(50);
    await expect(app.get(MetricsRepository).latest(cameraId)).resolves.toMatchObject({ time: at(49), count: 49, countMax: 51, metadata: { frames: 5 } });
    expect(writer.stats()).toMatchObject({ buffered: 0, written: 50, dropped: 0 });
  });

  it('rows of a camera deleted meanwhile are discarded, the rest written', async () => {
    const writer = app.get(MetricsWriter);
    const gone = await app.get(CameraRepository).create({ name: 'Deleted cam', sourceType: 'file', sourceUrl: '/y.mp4' });
    await app.get(DataSource).getRepository('Camera').delete({ id: gone.id });
    writer.enqueue({ cameraId: gone.id, time: at(100), count: 1 });
    writer.enqueue({ cameraId, time: at(100), count: 7 });
    await expect(writer.flush()).resolves.toBe(1);
    expect(writer.stats()).toMatchObject({ buffered: 0, orphaned: 1 });
    await expect(app.get(MetricsRepository).latest(cameraId)).resolves.toMatchObject({ time: at(100), count: 7 });
  });

  it('application shutdown flushes what is still buffered, before the connection closes', async () => {
    app.get(MetricsWriter).enqueue({ cameraId, time: at(200), count: 3 });
    await app.close();
    const ds = await openDataSource(cfg);
    try {
      await expect(new MetricsRepository(ds).latest(cameraId)).resolves.toMatchObject({ time: at(200), count: 3 });
    } finally {
      await ds.destroy();
    }
  });
});

describe('MetricsController (HTTP, SQLite)', () => {
  let app: INestApplication;
  let cameraId: string;
  let emptyCameraId: string;
  const unknown = '00000000-0000-4000-8000-000000000000';

  beforeAll(async () => {
    app = await appFor(loadConfig({ SQLITE_PATH: join(dir, 'http.sqlite') }, dir));
    const cameras = app.get(CameraRepository);
    cameraId = (await cameras.create({ name: 'HTTP cam', sourceType: 'file', sourceUrl: '/x.mp4' })).id;
    emptyCameraId = (await cameras.create({ name: 'No metrics yet', sourceType: 'file', sourceUrl: '/x.mp4' })).id;
    // Through the writer, as the cameras write (it also keeps the per-minute rollup the range endpoint reads).
    const writer = app.get(MetricsWriter);
    for (let i = 0; i < 120; i++) {
      writer.enqueue({ cameraId, time: at(i), count: i < 60 ? 2 : 4, countMax: i < 60 ? 3 : 6, riskLevel: i === 100 ? 'CRITICAL' : 'SAFE', metadata: { frames: 5 } });
    }
    await writer.flush();
  });
  afterAll(async () => {
    await app?.close();
  });

  const range = `start=${at(0).toISOString()}&end=${at(120).toISOString()}`;
  it.each([
    { name: 'a malformed camera id', path: () => `/api/metrics/not-a-uuid?${range}`, status: 400, message: /uuid/ },
    { name: 'a malformed camera id (current)', path: () => '/api/metrics/not-a-uuid/current', status: 400, message: /uuid/ },
    { name: 'an unknown camera', path: () => `/api/metrics/${unknown}?${range}`, status: 404, message: /Camera .* not found/ },
    { name: 'an unknown camera (current)', path: () => `/api/metrics/${unknown}/current`, status: 404, message: /Camera .* not found/ },
    { name: 'no metrics yet (current)', path: () => `/api/metrics/${emptyCameraId}/current`, status: 404, message: /No metrics recorded yet/ },
    { name: 'a bad start date', path: () => `/api/metrics/${cameraId}?start=yesterday`, status: 400, message: /start must be an ISO 8601/ },
    { name: 'an impossible end date', path: () => `/api/metrics/${cameraId}?end=2025-02-30T00:00:00Z`, status: 400, message: /end must be an ISO 8601/ },
    { name: 'start after end', path: () => `/api/metrics/${cameraId}?start=${at(10).toISOString()}&end=${at(0).toISOString()}`, status: 400, message: /must not be after end/ },
    { name: 'interval 0', path: () => `/api/metrics/${cameraId}?${range}&interval=0`, status: 400, message: /between 1 and 86400/ },
    { name: 'interval 86401', path: () => `/api/metrics/${cameraId}?${range}&interval=86401`, status: 400, message: /between 1 and 86400/ },
    { name: 'a non-numeric interval', path: () => `/api/metrics/${cameraId}?${range}&interval=abc`, status: 400, message: /whole number/ },
    { name: 'too many points', path: () => `/api/metrics/${cameraId}?start=2020-01-01T00:00:00Z&end=2025-01-01T00:00:00Z&interval=1`, status: 400, message: /at most 10000/ },
    { name: 'an unknown query parameter', path: () => `/api/metrics/${cameraId}?${range}&limit=5`, status: 400, message: /limit should not exist/ },
  ])('$name -> $status', async ({ path, status, message }) => {
    const res = await request(app.getHttpServer()).get(path());
    expect(res.status).toBe(status);
    expect(JSON.stringify(res.body.message)).toMatch(message);
  });

  it('range: buckets with avg/max count, highest risk level, ISO times', async () => {
    const res = await request(app.getHttpServer()).get(`/api/metrics/${cameraId}?${range}&interval=60`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { time: at(0).toISOString(), cameraId, count: 2, countMax: 3, density: null, velocity: null, surge: null, flowIn: null, flowOut: null, riskScore: null, riskLevel: 'SAFE', metadata: { samples: 60 } },
      { time: at(60).toISOString(), cameraId, count: 4, countMax: 6, density: null, velocity: null, surge: null, flowIn: null, flowOut: null, riskScore: null, riskLevel: 'CRITICAL', metadata: { samples: 60 } },
    ]);
  });

  it('range: the default interval follows the span (2 h -> 10 s buckets; see autoInterval)', async () => {
    const res = await request(app.getHttpServer()).get(`/api/metrics/${cameraId}?start=${at(0).toISOString()}&end=${at(7200).toISOString()}`);
    expect(res.status).toBe(200);
    expect(res.body.map((p: { time: string; metadata: { samples: number } }) => p.metadata.samples)).toEqual(Array(12).fill(10));
  });

  it('current: the newest second', async () => {
    const res = await request(app.getHttpServer()).get(`/api/metrics/${cameraId}/current`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      time: at(119).toISOString(),
      cameraId,
      count: 4,
      countMax: 6,
      density: null,
      velocity: null,
      surge: null,
      flowIn: null,
      flowOut: null,
      riskScore: null,
      riskLevel: 'SAFE',
      heading: null,
      metadata: { frames: 5 },
    });
  });
});
