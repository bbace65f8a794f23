// System API over HTTP on real PostgreSQL + Redis (distributed config) and SQLite (embedded): health with
// dependency latency (and a Redis that is down), frame/queue stats, the system log with filters and 400s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type INestApplication, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppConfigModule, loadConfig, type AppConfig } from '@crowdsafe/server-config';
import { CameraRepository, createScratchDatabase, DatabaseModule, SystemLogRepository, type ScratchDatabase } from '@crowdsafe/server-database';
import { SystemModule } from './system.module';

jest.setTimeout(120_000);

const PG_AUTH = process.env.PGPASSWORD ? `${process.env.PGUSER ?? 'postgres'}:${encodeURIComponent(process.env.PGPASSWORD)}` : (process.env.PGUSER ?? 'postgres');
const ADMIN_URL = `postgres://${PG_AUTH}@${process.env.PGHOST ?? '127.0.0.1'}:${process.env.PGPORT ?? '5432'}/postgres`;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const dir = mkdtempSync(join(tmpdir(), 'cs-system-'));
const scratches: ScratchDatabase[] = [];

beforeAll(() => Logger.overrideLogger(['error']));
afterAll(async () => {
  for (const s of scratches) await s.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** The one place requests are made: add the auth header here once the guard is wired in. */
const http = (app: INestApplication) => ({ get: (path: string) => request(app.getHttpServer()).get(`/api${path}`) });

async function systemApp(config: AppConfig): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot(config), SystemModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  app.setGlobalPrefix('api');
  await app.init();
  return app;
}

const pgConfig = async (env: Record<string, string> = {}) => {
  const db = await createScratchDatabase(ADMIN_URL, 'cs_system_medium');
  scratches.push(db);
  return loadConfig({ DATABASE_URL: db.url, REDIS_URL, DATA_DIR: dir, ...env }, dir);
};

const dialects = [
  { name: 'postgres + redis', redis: true, config: () => pgConfig() },
  { name: 'sqlite (embedded)', redis: false, config: async () => loadConfig({ SQLITE_PATH: join(dir, `system-${Date.now()}.sqlite`), DATA_DIR: dir }, dir) },
];

describe.each(dialects)('system API on $name', ({ redis, config }) => {
  let app: INestApplication;
  let api: ReturnType<typeof http>;
  let userless = '';

  beforeAll(async () => {
    app = await systemApp(await config());
    api = http(app);
    userless = (await app.get(CameraRepository).create({ name: 'Concourse', sourceType: 'file', sourceUrl: '/c.mp4' })).id;
    const logs = app.get(SystemLogRepository);
    await logs.write({ level: 'info', category: 'system', action: 'app.start', message: 'CrowdSafe started', time: new Date('2025-01-01T10:00:00Z') });
    await logs.write({ level: 'warn', category: 'camera', action: 'camera.offline', message: 'Camera Concourse went OFFLINE', resourceId: userless, time: new Date('2025-01-01T11:00:00Z') });
    await logs.write({ level: 'error', category: 'camera', action: 'camera.error', message: 'ffmpeg exited 1', time: new Date('2025-01-01T12:00:00Z') });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('GET /api/system/health: resources, dependencies with latency, cameras, inference', async () => {
    await new Promise((r) => setTimeout(r, 150)); // a CPU window to measure over
    const res = await api.get('/system/health').expect(200);
    const h = res.body;
    expect(h.status).toBe('ok');
    expect(h.uptimeS).toBeGreaterThanOrEqual(0);
    expect(h.cpu.cores).toBeGreaterThan(0);
    expect(h.cpu.loadAverage).toHaveLength(3);
    expect(typeof h.cpu.processPercent).toBe('number');
    expect(h.memory.processRssBytes).toBeGreaterThan(0);
    expect(h.disk).toMatchObject({ path: dir });
    expect(h.disk.freeBytes).toBeGreaterThan(0);
    expect(h.disk.totalBytes).toBeGreaterThanOrEqual(h.disk.freeBytes);
    expect(h.gpus === null || Array.isArray(h.gpus)).toBe(true);
    expect(h.database).toMatchObject({ type: redis ? 'postgres' : 'sqlite', status: 'up' });
    expect(h.database.latencyMs).toBeGreaterThanOrEqual(0);
    if (redis) {
      expect(h.redis).toMatchObject({ used: true, status: 'up' });
      expect(h.redis.latencyMs).toBeGreaterThanOrEqual(0);
    } else {
      expect(h.redis).toEqual({ used: false });
    }
    expect(h.queue.type).toBe(redis ? 'bullmq' : 'in-process');
    expect(h.cameras).toEqual({ total: 1, running: 0, online: 0 });
    expect(h.inference).toMatchObject({ provider: 'cpu', model: 'yolo11n.onnx', mode: redis ? 'distributed' : 'embedded' });
  });

  it('GET /api/system/stats: per-camera frames and totals (no runtime here), open alerts', async () => {
    const res = await api.get('/system/stats').expect(200);
    expect(res.body.cameras).toEqual([
      { cameraId: userless, name: 'Concourse', status: 'offline', running: false, fpsIn: 0, fpsOut: 0, framesDecoded: 0, framesProcessed: 0, framesDropped: 0, framesStale: 0, restarts: 0 },
    ]);
    expect(res.body.totals).toEqual({ framesDecoded: 0, framesProcessed: 0, framesDropped: 0, framesStale: 0, fpsIn: 0, fpsOut: 0 });
    expect(res.body.inference).toBeNull();
    expect(res.body.alertsOpen).toBe(0);
  });

  it.each([
    ['', ['ffmpeg exited 1', 'Camera Concourse went OFFLINE', 'CrowdSafe started'], 3],
    ['?category=camera', ['ffmpeg exited 1', 'Camera Concourse went OFFLINE'], 2],
    ['?level=warn', ['Camera Concourse went OFFLINE'], 1],
    ['?action=app.start', ['CrowdSafe started'], 1],
    ['?search=OFFLINE', ['Camera Concourse went OFFLINE'], 1],
    ['?search=50%25', [], 0],
    ['?from=2025-01-01T10:30:00Z&to=2025-01-01T12:00:00Z', ['Camera Concourse went OFFLINE'], 1],
    ['?limit=1&offset=1', ['Camera Concourse went OFFLINE'], 3],
    ['?userId=6c1b3e52-9f36-4c2e-8a51-0f6d1c1a2b3c', [], 0],
  ])('GET /api/system/logs%s', async (qs, messages, total) => {
    const res = await api.get(`/system/logs${qs}`).expect(200);
    expect(res.body.items.map((l: { message: string }) => l.message)).toEqual(messages);
    expect(res.body.total).toBe(total);
  });

  it.each([
    ['?limit=1001', ['limit must be a whole number from 1 to 1000']],
    ['?limit=0', ['limit must be a whole number from 1 to 1000']],
    ['?level=fatal', ['level must be one of debug, info, warn, error']],
    ['?category=kernel', ['category must be one of audit, auth, system, camera, alert']],
    ['?userId=bob', ['userId must be a UUID']],
    ['?from=monday', ['from must be an ISO 8601 date-time, e.g. 2025-06-01T12:00:00Z']],
    ['?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z', 'from (2025-01-02T00:00:00.000Z) must not be after to (2025-01-01T00:00:00.000Z)'],
    ['?verbose=1', ['property verbose should not exist']],
  ])('GET /api/system/logs%s -> 400', async (qs, message) => {
    const res = await api.get(`/system/logs${qs}`).expect(400);
    expect(res.body.message).toEqual(message);
  });

  it.each([
    ['an unknown camera', () => '/analytics/heatmap/00000000-0000-4000-8000-000000000000/spatial', 404, 'Camera 00000000-0000-4000-8000-000000000000 not found'],
    ['a camera not running in this process', () => `/analytics/heatmap/${userless}/spatial`, 404, 'Camera <id> is not running: no live heatmap'],
    ['a bad format', () => `/analytics/heatmap/${userless}/spatial?format=gif`, 400, ['format must be json or png']],
    ['a malformed id', () => '/analytics/heatmap/xyz/spatial', 400, 'Validation failed (uuid is expected)'],
  ])('GET spatial heatmap: %s', async (_name, path, status, message) => {
    const res = await api.get(path()).expect(status);
    expect(res.body.message).toEqual(typeof message === 'string' ? message.replace('<id>', userless) : message);
  });
});

describe('system health with Redis down', () => {
  it('reports degraded, Redis down with the reason, the database still up', async () => {
    const app = await systemApp(await pgConfig({ REDIS_URL: 'redis://127.0.0.1:1' }));
    try {
      const res = await http(app).get('/system/health').expect(200);
      expect(res.body.status).toBe('degraded');
      expect(res.body.redis).toMatchObject({ used: true, status: 'down', latencyMs: null });
      expect(res.body.redis.error).toMatch(/ECONNREFUSED|timed out|Connection is closed/);
      expect(res.body.database.status).toBe('up');
    } finally {
      await app.close();
    }
  });
});
