// Analytics endpoints over HTTP on real PostgreSQL and SQLite: GET /api/metrics/:id (downsampling by range),
// /api/metrics/:id/summary, /api/analytics/compare, /api/analytics/heatmap/:id (busy hours), incl. 400/404.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type INestApplication, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppConfigModule, loadConfig, type AppConfig } from '@crowdsafe/server-config';
import { CameraRepository, createScratchDatabase, DatabaseModule, type MetricRecord, type ScratchDatabase } from '@crowdsafe/server-database';
import { SettingsModule, SettingsService } from '@crowdsafe/server-settings';
import { AnalyticsRepository } from './analytics.repository';
import { MetricsModule } from './metrics.module';
import { MetricsWriter } from './metrics-writer';

jest.setTimeout(120_000);

const PG_AUTH = process.env.PGPASSWORD ? `${process.env.PGUSER ?? 'postgres'}:${encodeURIComponent(process.env.PGPASSWORD)}` : (process.env.PGUSER ?? 'postgres');
const ADMIN_URL = `postgres://${PG_AUTH}@${process.env.PGHOST ?? '127.0.0.1'}:${process.env.PGPORT ?? '5432'}/postgres`;
const dir = mkdtempSync(join(tmpdir(), 'cs-analytics-'));
const scratches: ScratchDatabase[] = [];
// Monday 2025-01-06 10:00:00 UTC.
const T0 = Date.UTC(2025, 0, 6, 10, 0, 0);
const at = (s: number) => new Date(T0 + s * 1000);
const iso = (s: number) => at(s).toISOString();

beforeAll(() => Logger.overrideLogger(['error']));
afterAll(async () => {
  for (const s of scratches) await s.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** The one place requests are made: add the auth header here once the guard is wired in. */
const http = (app: INestApplication) => ({ get: (path: string) => request(app.getHttpServer()).get(`/api${path}`) });

const dialects = [
  {
    name: 'postgres',
    config: async () => {
      const db = await createScratchDatabase(ADMIN_URL, 'cs_analytics_medium');
      scratches.push(db);
      return loadConfig({ DATABASE_URL: db.url, DATA_DIR: dir }, dir);
    },
  },
  { name: 'sqlite', config: async () => loadConfig({ SQLITE_PATH: join(dir, `analytics-${Date.now()}.sqlite`), DATA_DIR: dir }, dir) },
];

/**
 * Camera A: 600 s from T0 with count = 10 + (s mod 10), density = count / 20, risk 10 (SAFE) except 60 s of
 * WARNING (risk 60) at s 300-359 with the peak count 40 (countMax 42) at s 330; flow 1 in each second, 1 out every
 * other second. Then a gap, and 300 s more an hour later (s 3600-3899, count 5). Camera B: 100 s, count 3.
 */
function seedRows(a: string, b: string): MetricRecord[] {
  const rows: MetricRecord[] = [];
  for (let s = 0; s < 600; s++) {
    const warn = s >= 300 && s < 360;
    const count = s === 330 ? 40 : 10 + (s % 10);
    rows.push({ cameraId: a, time: at(s), count, countMax: s === 330 ? 42 : count, density: count / 20, riskScore: warn ? 60 : 10, riskLevel: warn ? 'WARNING' : 'SAFE', flowIn: 1, flowOut: s % 2, metadata: {} } as MetricRecord);
  }
  for (let s = 3600; s < 3900; s++) rows.push({ cameraId: a, time: at(s), count: 5, countMax: 5, density: 0.25, riskScore: 5, riskLevel: 'SAFE', flowIn: 0, flowOut: 0, metadata: {} } as MetricRecord);
  for (let s = 0; s < 100; s++) rows.push({ cameraId: b, time: at(s), count: 3, countMax: 3, metadata: {} } as MetricRecord);
  return rows;
}

describe.each(dialects)('analytics API on $name', ({ config }) => {
  let cfg: AppConfig;
  let app: INestApplication;
  let api: ReturnType<typeof http>;
  let a: string;
  let b: string;
  const missing = '00000000-0000-4000-8000-000000000000';

  beforeAll(async () => {
    cfg = await config();
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(cfg), DatabaseModule.forRoot(cfg), SettingsModule, MetricsModule],
    }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    app.setGlobalPrefix('api');
    await app.init();
    api = http(app);
    const cams = app.get(CameraRepository);
    a = (await cams.create({ name: 'A', sourceType: 'file', sourceUrl: '/a.mp4' })).id;
    b = (await cams.create({ name: 'B', sourceType: 'file', sourceUrl: '/b.mp4' })).id;
    // Through the writer, as the cameras write: it keeps the per-minute rollup too.
    const writer = app.get(MetricsWriter);
    for (const r of seedRows(a, b)) writer.enqueue(r);
    await expect(writer.flush()).resolves.toBe(1000);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('summary: averages, peaks and when, time per level, uptime, flow totals', async () => {
    const res = await api.get(`/metrics/${a}/summary?from=${iso(0)}&to=${iso(1200)}`).expect(200);
    expect(res.body).toMatchObject({
      cameraId: a,
      samples: 600,
      spanS: 1200,
      uptimePercent: 50,
      countPeak: 42,
      countPeakAt: iso(330),
      densityPeak: 2,
      densityPeakAt: iso(330),
      riskScorePeak: 60,
      secondsAtLevel: { SAFE: 540, CAUTION: 0, WARNING: 60, CRITICAL: 0 },
      flowIn: 600,
      flowOut: 300,
      first: iso(0),
      last: iso(599),
    });
    // mean count = mean over s of (10 + s mod 10) with s=330 replaced by 40 (was 10): 14.5 + 30/600.
    expect(res.body.countAvg).toBeCloseTo(14.55, 2);
    expect(res.body.riskScoreAvg).toBeCloseTo(15, 2);
  });

  it('whole-minute buckets (rollup + raw partial minutes at both ends) equal the raw per-second aggregation', async () => {
    const repo = app.get(AnalyticsRepository);
    for (const [from, to, interval] of [[25, 3895, 60], [0, 3900, 300], [301, 359, 60], [-7200, 7200, 3600]] as const) {
      const fromD = at(from);
      const toD = at(to);
      const viaRollup = await repo.buckets(a, fromD, toD, interval);
      const perSecond = await repo.buckets(a, fromD, toD, 1);
      const expected = new Map<number, { n: number; sum: number; max: number; flowIn: number; risk: number }>();
      for (const p of perSecond) {
        const k = Math.floor(p.time.getTime() / 1000 / interval) * interval;
        const e = expected.get(k) ?? { n: 0, sum: 0, max: 0, flowIn: 0, risk: 0 };
        e.n += p.samples;
        e.sum += p.count * p.samples;
        e.max = Math.max(e.max, p.countMax);
        e.flowIn += p.flowIn ?? 0;
        e.risk = Math.max(e.risk, p.riskScore ?? 0);
        expected.set(k, e);
      }
      expect(viaRollup.map((b) => [b.time.getTime() / 1000, b.samples, b.countMax, b.flowIn, b.riskScore])).toEqual(
        [...expected.entries()].sort((x, y) => x[0] - y[0]).map(([k, e]) => [k, e.n, e.max, e.flowIn, e.risk]),
      );
      viaRollup.forEach((b) => expect(b.count).toBeCloseTo((expected.get(b.time.getTime() / 1000)?.sum ?? 0) / b.samples, 2));
    }
  });

  it('rewriting a second (upsert) recomputes its minute in the rollup', async () => {
    const writer = app.get(MetricsWriter);
    writer.enqueue({ cameraId: b, time: at(50), count: 99, countMax: 99, metadata: {} } as MetricRecord);
    await writer.flush();
    const [minute] = await app.get(AnalyticsRepository).buckets(b, at(0), at(60), 60);
    expect(minute).toMatchObject({ samples: 60, countMax: 99 });
    expect(minute?.count).toBeCloseTo((59 * 3 + 99) / 60, 2);
    writer.enqueue({ cameraId: b, time: at(50), count: 3, countMax: 3, metadata: {} } as MetricRecord);
    await writer.flush();
    expect((await app.get(AnalyticsRepository).buckets(b, at(0), at(60), 60))[0]).toMatchObject({ samples: 60, count: 3, countMax: 3 });
  });

  it('summary of an empty range: zeros and nulls', async () => {
    const res = await api.get(`/metrics/${a}/summary?from=${iso(1000)}&to=${iso(2000)}`).expect(200);
    expect(res.body).toMatchObject({ samples: 0, uptimePercent: 0, countAvg: null, countPeak: null, countPeakAt: null, densityPeakAt: null, flowIn: null, first: null });
  });

  it.each([
    [`/metrics/${missing}/summary`, 404, 'Camera 00000000-0000-4000-8000-000000000000 not found'],
    ['/metrics/nope/summary', 400, 'Validation failed (uuid is expected)'],
    [`/metrics/CAM/summary?from=${iso(10)}&to=${iso(0)}`, 400, `from (${iso(10)}) must not be after to (${iso(0)})`],
    [`/metrics/CAM/summary?from=2020-01-01T00:00:00Z&to=2022-01-01T00:00:00Z`, 400, 'from..to may span at most 366 days'],
    ['/metrics/CAM/summary?from=yesterday', 400, ['from must be an ISO 8601 date-time, e.g. 2025-06-01T12:00:00Z']],
  ])('GET %s -> %d', async (path, status, message) => {
    const res = await api.get(path.replace('CAM', a)).expect(status);
    expect(res.body.message).toEqual(message);
  });

  it('range picks the bucket width by span: raw seconds up to 1 h, 10 s beyond', async () => {
    const raw = await api.get(`/metrics/${a}?start=${iso(0)}&end=${iso(3600)}`).expect(200);
    expect(raw.body).toHaveLength(600);
    const tens = await api.get(`/metrics/${a}?start=${iso(0)}&end=${iso(7200)}`).expect(200);
    expect(tens.body).toHaveLength(60 + 30);
    expect(tens.body[33]).toMatchObject({ time: iso(330), countMax: 42, riskLevel: 'WARNING', metadata: { samples: 10 } });
  });

  it('compare: aligned buckets for every camera, null where a camera has no data', async () => {
    const res = await api.get(`/analytics/compare?cameraIds=${a},${b}&metric=count&from=${iso(0)}&to=${iso(300)}&interval=60`).expect(200);
    expect(res.body.times).toEqual([0, 60, 120, 180, 240].map(iso));
    expect(res.body.series).toEqual([
      { cameraId: a, values: [14.5, 14.5, 14.5, 14.5, 14.5] },
      { cameraId: b, values: [3, 3, null, null, null] },
    ]);
    const risk = await api.get(`/analytics/compare?cameraIds=${a}&cameraIds=${b}&metric=risk_score&from=${iso(300)}&to=${iso(360)}&interval=60`).expect(200);
    expect(risk.body.series).toEqual([
      { cameraId: a, values: [60] },
      { cameraId: b, values: [null] },
    ]);
  });

  it.each([
    ['', 400, ['cameraIds must name at least one camera', 'metric must be one of count, density, velocity, risk_score']],
    [`?cameraIds=${Array.from({ length: 17 }, () => missing).join(',')}&metric=count`, 400, ['cameraIds may name at most 16 cameras']],
    ['?cameraIds=abc&metric=count', 400, ['each of cameraIds must be a UUID']],
    [`?cameraIds=${missing}&metric=count`, 404, `Camera ${missing} not found`],
    [`?cameraIds=CAM&metric=speed`, 400, ['metric must be one of count, density, velocity, risk_score']],
    [`?cameraIds=CAM&metric=count&from=2025-01-01T00:00:00Z&to=2025-01-02T00:00:00Z&interval=1`, 400, 'from..to at interval=1 s gives 86400 points; at most 10000: use a larger interval'],
  ])('GET /analytics/compare%s -> %d', async (qs, status, message) => {
    const res = await api.get(`/analytics/compare${qs.replace('CAM', a)}`).expect(status);
    expect(res.body.message).toEqual(message);
  });

  it('busy hours: weekday x hour averages in the requested zone (default: general.timeZone)', async () => {
    const utc = await api.get(`/analytics/heatmap/${a}?from=${iso(0)}&to=${iso(7200)}&timeZone=UTC`).expect(200);
    expect(utc.body).toMatchObject({ cameraId: a, metric: 'count', timeZone: 'UTC' });
    expect(utc.body.cells).toHaveLength(168);
    const monday10 = utc.body.cells[10];
    expect(monday10).toMatchObject({ weekday: 0, hour: 10, samples: 600, peak: 42 });
    expect(monday10.avg).toBeCloseTo(14.55, 2);
    expect(utc.body.cells[11]).toMatchObject({ weekday: 0, hour: 11, avg: 5, peak: 5, samples: 300 });
    await app.get(SettingsService).set('general', 'timeZone', 'Asia/Kolkata');
    const ist = await api.get(`/analytics/heatmap/${a}?metric=density&from=${iso(0)}&to=${iso(7200)}`).expect(200);
    expect(ist.body.timeZone).toBe('Asia/Kolkata');
    // UTC+5:30: 10:00 UTC -> 15:30, counted in local hour 15.
    expect(ist.body.cells[15]).toMatchObject({ weekday: 0, hour: 15, samples: 600, peak: 2 });
  });

  it.each([
    [`/analytics/heatmap/${missing}`, 404, `Camera ${missing} not found`],
    ['/analytics/heatmap/CAM?timeZone=Mars/Base', 400, ['timeZone must be an IANA time zone such as "Europe/London"']],
    ['/analytics/heatmap/CAM?metric=risk', 400, ['metric must be one of count, density']],
    ['/analytics/heatmap/CAM?from=2020-01-01T00:00:00Z&to=2022-01-01T00:00:00Z', 400, 'from..to may span at most 366 days'],
  ])('GET %s -> %d', async (path, status, message) => {
    const res = await api.get(path.replace('CAM', a)).expect(status);
    expect(res.body.message).toEqual(message);
  });
});
