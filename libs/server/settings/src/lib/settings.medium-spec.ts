// Settings API over HTTP (Nest + supertest) on real PostgreSQL and SQLite: reads, validated versioned writes with
// history, 400/404, the change stream and cross-replica refresh (PostgreSQL). The live application of the risk
// settings to running cameras is in libs/server/system/src/lib/live-risk-settings.medium-spec.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type INestApplication, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { firstValueFrom, take, toArray } from 'rxjs';
import { DataSource } from 'typeorm';
import { AppConfigModule, loadConfig, type AppConfig } from '@crowdsafe/server-config';
import { createScratchDatabase, DatabaseModule, EntityName, SystemLogRepository, type ScratchDatabase } from '@crowdsafe/server-database';
import { DEFAULT_RISK_CONFIG } from '@crowdsafe/risk';
import { SettingsModule } from './settings.module';
import { SETTINGS_HISTORY_PER_KEY, SettingsService } from './settings.service';

jest.setTimeout(120_000);

const PG_AUTH = process.env.PGPASSWORD ? `${process.env.PGUSER ?? 'postgres'}:${encodeURIComponent(process.env.PGPASSWORD)}` : (process.env.PGUSER ?? 'postgres');
const ADMIN_URL = `postgres://${PG_AUTH}@${process.env.PGHOST ?? '127.0.0.1'}:${process.env.PGPORT ?? '5432'}/postgres`;
const dir = mkdtempSync(join(tmpdir(), 'cs-settings-'));
const scratches: ScratchDatabase[] = [];

beforeAll(() => Logger.overrideLogger(['error']));
afterAll(async () => {
  for (const s of scratches) await s.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** The one place requests are made: add the auth header here once the guard is wired in. */
function http(app: INestApplication) {
  const server = app.getHttpServer();
  return {
    get: (path: string) => request(server).get(`/api${path}`),
    put: (path: string, body: unknown) => request(server).put(`/api${path}`).send(body as object),
  };
}

async function settingsApp(config: AppConfig): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot(config), SettingsModule],
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
      const db = await createScratchDatabase(ADMIN_URL, 'cs_settings_medium');
      scratches.push(db);
      return loadConfig({ DATABASE_URL: db.url, DATA_DIR: dir }, dir);
    },
  },
  { name: 'sqlite', config: async () => loadConfig({ SQLITE_PATH: join(dir, `settings-${Date.now()}.sqlite`), DATA_DIR: dir }, dir) },
];

const badWeights = { defaults: { weights: { density: 0.5, surge: 0.3, velocity: 0.4, pressure: 0, counterFlow: 0 } } };

describe.each(dialects)('settings API on $name', ({ name, config }) => {
  let cfg: AppConfig;
  let app: INestApplication;
  let api: ReturnType<typeof http>;

  beforeAll(async () => {
    cfg = await config();
    app = await settingsApp(cfg);
    api = http(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('GET /api/settings lists every category with defaults at version 0', async () => {
    const res = await api.get('/settings').expect(200);
    const cats = (res.body as { categories: { category: string; values: Record<string, unknown>; settings: { key: string; version: number }[] }[] }).categories;
    expect(cats.map((c) => c.category)).toEqual(['general', 'alerts', 'risk', 'system']);
    const general = cats[0];
    expect(general?.values).toEqual({ siteName: 'CrowdSafe', timeZone: 'UTC', theme: 'auto' });
    expect(general?.settings.every((s) => s.version === 0)).toBe(true);
    expect(cats[3]?.values['model']).toMatchObject({ executionProvider: 'cpu' });
  });

  it('GET /api/settings/:category; unknown category -> 404 naming the categories', async () => {
    const ok = await api.get('/settings/alerts').expect(200);
    expect(ok.body.values).toMatchObject({ cooldownS: 60, sound: { enabled: true, snoozeMinutes: 10 } });
    const nf = await api.get('/settings/colours').expect(404);
    expect(nf.body.message).toBe('Unknown settings category "colours" (one of general, alerts, risk, system)');
  });

  it('PUT writes, bumps the version, keeps history and writes an audit entry', async () => {
    const changes = firstValueFrom(app.get(SettingsService).changes$.pipe(take(2), toArray()));
    const a = await api.put('/settings/general/siteName', { value: 'North Stand' }).expect(200);
    expect(a.body).toMatchObject({ category: 'general', key: 'siteName', value: 'North Stand', version: 1, updatedBy: null, readOnly: false });
    const b = await api.put('/settings/general/siteName', { value: 'South Stand' }).expect(200);
    expect(b.body.version).toBe(2);
    expect(await changes).toEqual([
      expect.objectContaining({ category: 'general', key: 'siteName', value: 'North Stand', previous: 'CrowdSafe', version: 1 }),
      expect.objectContaining({ value: 'South Stand', previous: 'North Stand', version: 2 }),
    ]);
    expect((await api.get('/settings/general/siteName').expect(200)).body).toMatchObject({ value: 'South Stand', version: 2, default: 'CrowdSafe' });
    const hist = await api.get('/settings/general/siteName/history').expect(200);
    expect(hist.body.total).toBe(2);
    expect(hist.body.items.map((i: { version: number; value: unknown }) => [i.version, i.value])).toEqual([
      [2, 'South Stand'],
      [1, 'North Stand'],
    ]);
    const logs = await app.get(SystemLogRepository).query({ category: 'audit', action: 'settings.update' });
    expect(logs.items[0]).toMatchObject({ resourceType: 'setting', resourceId: 'general.siteName', details: { before: 'North Stand', after: 'South Stand', version: 2 } });
    // Typed read for other modules.
    expect(app.get(SettingsService).get('general', 'siteName')).toBe('South Stand');
  });

  it.each([
    ['/settings/alerts/cooldownS', { value: 5 }, ['alerts.cooldownS: must be a whole number from 10 to 3600 seconds']],
    ['/settings/alerts/sound', { value: { enabled: true, volume: 2, snoozeMinutes: 20, repeatCriticalS: 0 } }, ['alerts.sound.volume: must be a number from 0 to 1', 'alerts.sound.snoozeMinutes: must be a whole number from 5 to 15 minutes']],
    ['/settings/general/timeZone', { value: 'Moon/Base' }, ['general.timeZone: must be an IANA time zone such as "Europe/London"']],
    ['/settings/system/device', { value: {} }, ['system.device: is read-only (derived from the server configuration)']],
    ['/settings/general/theme', {}, ['value is required']],
    ['/settings/general/theme', { value: 'dark', extra: 1 }, ['property extra should not exist']],
  ])('PUT %s %j -> 400 %j, nothing saved', async (path, body, messages) => {
    const before = (await api.get(path).expect(200)).body;
    const res = await api.put(path, body).expect(400);
    expect(res.body.message).toEqual(messages);
    expect((await api.get(path).expect(200)).body).toEqual(before);
  });

  it('PUT unknown key -> 404', async () => {
    const res = await api.put('/settings/general/fontSize', { value: 12 }).expect(404);
    expect(res.body.message).toBe('Unknown setting "general.fontSize"');
    await api.get('/settings/general/fontSize/history').expect(404);
  });

  it('history paging is validated', async () => {
    const res = await api.get(`/settings/general/siteName/history?limit=${SETTINGS_HISTORY_PER_KEY + 1}`).expect(400);
    expect(res.body.message).toEqual([`limit must be a whole number from 1 to ${SETTINGS_HISTORY_PER_KEY}`]);
    const page = await api.get('/settings/general/siteName/history?limit=1&offset=1').expect(200);
    expect(page.body.items.map((i: { version: number }) => i.version)).toEqual([1]);
  });

  it('risk thresholds: GET returns the full settings and profile ids; PUT validates and lists each issue', async () => {
    const get = await api.get('/settings/risk/thresholds').expect(200);
    expect(get.body.value.defaults).toEqual(DEFAULT_RISK_CONFIG);
    expect(get.body.profileIds).toEqual(['base', 'concert', 'religious-gathering', 'stadium-egress', 'transit']);
    const bad = await api.put('/settings/risk/thresholds', { ...badWeights, defaults: { ...badWeights.defaults, thresholds: { caution: 60, warning: 50 } } }).expect(400);
    expect(bad.body.message).toEqual([
      'risk.thresholds.defaults.weights: must sum to 1 (got 1.2)',
      'risk.thresholds.defaults.thresholds: must be strictly ordered: caution < warning < critical',
    ]);
    expect(bad.body.issues[0]).toEqual({ path: 'risk.thresholds.defaults.weights', message: 'must sum to 1 (got 1.2)' });
    const ok = await api
      .put('/settings/risk/thresholds', {
        timeZone: 'Europe/London',
        defaults: { thresholds: { caution: 30, warning: 55, critical: 80 } },
        cameras: { 'cam-a': { profile: 'concert' } },
        schedules: [{ name: 'Friday peak', days: [5], from: '18:00', to: '23:30', profile: 'stadium-egress' }],
      })
      .expect(200);
    expect(ok.body).toMatchObject({ version: 1, value: { timeZone: 'Europe/London', defaults: { thresholds: { caution: 30, warning: 55, critical: 80 } } } });
    // The generic route reaches the same setting, wrapped in { value }.
    const generic = await api.put('/settings/risk/thresholds', { value: badWeights });
    expect(generic.status).toBe(400);
    expect((await api.get('/settings/risk/thresholds').expect(200)).body.version).toBe(1);
  });

  if (name === 'postgres') {
    it('a change made through another replica reaches this one by refresh() (change stream included)', async () => {
      const other = await settingsApp(cfg);
      try {
        const seen = firstValueFrom(app.get(SettingsService).watch('alerts', 'cooldownS').pipe(take(2), toArray()));
        await http(other).put('/settings/alerts/cooldownS', { value: 120 }).expect(200);
        await app.get(SettingsService).refresh();
        expect(await seen).toEqual([60, 120]);
      } finally {
        await other.close();
      }
    });

    it('history is bounded per key', async () => {
      const svc = app.get(SettingsService);
      for (let i = 0; i < SETTINGS_HISTORY_PER_KEY + 5; i++) await svc.set('general', 'theme', i % 2 ? 'dark' : 'light');
      const rows = await app.get(DataSource).getRepository(EntityName.SettingHistory).count({ where: { category: 'general', key: 'theme' } });
      expect(rows).toBe(SETTINGS_HISTORY_PER_KEY);
      expect((await svc.history('general', 'theme', { limit: 1 })).items[0]?.version).toBe(SETTINGS_HISTORY_PER_KEY + 5);
    });
  }
});
