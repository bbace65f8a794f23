// alerts and alert_recipients on real PostgreSQL and on SQLite: insert / one active alert per camera + condition,
// compare-and-set transitions, resolveActive, filters and paging, statistics; recipients CRUD and routing input.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { loadConfig } from '@crowdsafe/server-config';
import { AlertRecipientRepository } from './alert-recipient.repository';
import { AlertRepository, type NewAlert } from './alert.repository';
import { CameraRepository } from './camera.repository';
import { openDataSource } from './data-source';
import { DuplicateError } from './errors';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database';

jest.setTimeout(60_000);

const PG_ADMIN = process.env['TEST_PG_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const at = (s: number) => new Date(T0 + s * 1000);

describe.each(['postgres', 'sqlite'] as const)('alert repositories (%s)', (dialect) => {
  let ds: DataSource;
  let alerts: AlertRepository;
  let recipients: AlertRecipientRepository;
  let scratch: ScratchDatabase | null = null;
  let camA = '';
  let camB = '';
  const dir = mkdtempSync(join(tmpdir(), 'cs-alert-repo-'));
  const alert = (p: Partial<NewAlert> & Pick<NewAlert, 'cameraId'>): NewAlert => ({
    id: randomUUID(),
    level: 'WARNING',
    condition: 'risk_level',
    status: 'open',
    message: 'Risk WARNING',
    metricsSnapshot: { count: 280, density: 3.5 },
    createdAt: at(0),
    ...p,
  });

  beforeAll(async () => {
    if (dialect === 'postgres') {
      scratch = await createScratchDatabase(PG_ADMIN, 'cs_alert_repo');
      ds = await openDataSource(loadConfig({ DATABASE_URL: scratch.url, DATA_DIR: dir }, dir));
    } else {
      ds = await openDataSource(loadConfig({ SQLITE_PATH: join(dir, 'db.sqlite'), DATA_DIR: dir }, dir));
    }
    alerts = new AlertRepository(ds);
    recipients = new AlertRecipientRepository(ds);
    const cameras = new CameraRepository(ds);
    camA = (await cameras.create({ name: 'Gate A', sourceType: 'file', sourceUrl: '/a.mp4' })).id;
    camB = (await cameras.create({ name: 'Gate B', sourceType: 'file', sourceUrl: '/b.mp4' })).id;
  });
  afterAll(async () => {
    await ds?.destroy();
    await scratch?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('AlertRepository', () => {
    it('is empty at first; malformed and unknown ids read as not found', async () => {
      await expect(alerts.query()).resolves.toEqual({ items: [], total: 0 });
      await expect(alerts.findActive()).resolves.toEqual([]);
      await expect(alerts.findById('not-a-uuid')).resolves.toBeNull();
      await expect(alerts.findById(randomUUID())).resolves.toBeNull();
      await expect(alerts.update('nope', { status: 'resolved' })).resolves.toBeNull();
      await expect(alerts.update(randomUUID(), { status: 'resolved' })).resolves.toBeNull();
      await expect(alerts.transition('nope', ['open'], { status: 'resolved' })).resolves.toBeNull();
      await expect(alerts.query({ cameraId: 'cam-1' })).resolves.toEqual({ items: [], total: 0 });
      await expect(alerts.statistics()).resolves.toEqual({ total: 0, byLevel: {}, byStatus: {}, byCondition: {}, byCamera: {}, responseTime: { count: 0, meanMs: null, medianMs: null } });
    });

    let first = '';
    it('inserts with defaults and round-trips JSON, dates and the channel list', async () => {
      const a = alert({ cameraId: camA, createdAt: at(10) });
      first = a.id;
      const row = await alerts.insert(a);
      expect(row).toMatchObject({ id: a.id, cameraId: camA, level: 'WARNING', status: 'open', channelsNotified: [], escalationLevel: 0, metricsSnapshot: { count: 280, density: 3.5 }, snapshotPath: null, acknowledgedAt: null });
      expect(row.createdAt.getTime()).toBe(T0 + 10_000);
      expect(row.updatedAt.getTime()).toBe(T0 + 10_000);
      const upd = await alerts.update(a.id, { level: 'CRITICAL', escalationLevel: 1, channelsNotified: ['dashboard', 'email', 'sms'], snapshotPath: '/data/snapshots/x.jpg', message: undefined });
      expect(upd).toMatchObject({ level: 'CRITICAL', escalationLevel: 1, channelsNotified: ['dashboard', 'email', 'sms'], snapshotPath: '/data/snapshots/x.jpg', message: 'Risk WARNING' });
    });

    it('keeps one non-resolved alert per camera + condition (DuplicateError); other conditions and cameras are free', async () => {
      await expect(alerts.insert(alert({ cameraId: camA, createdAt: at(11) }))).rejects.toBeInstanceOf(DuplicateError);
      await alerts.insert(alert({ cameraId: camA, condition: 'capacity', level: 'CRITICAL', createdAt: at(12) }));
      await alerts.insert(alert({ cameraId: camB, createdAt: at(13) }));
      expect((await alerts.findActive()).map((a) => [a.cameraId === camA ? 'A' : 'B', a.condition])).toEqual([
        ['A', 'risk_level'],
        ['A', 'capacity'],
        ['B', 'risk_level'],
      ]);
      expect(await alerts.findActive(camA, 'capacity')).toHaveLength(1);
      expect(await alerts.findActive('bad')).toEqual([]);
    });

    it('transition is compare-and-set on the status', async () => {
      const acked = await alerts.transition(first, ['open'], { status: 'acknowledged', acknowledgedAt: at(25), notes: 'seen' });
      expect(acked).toMatchObject({ status: 'acknowledged', notes: 'seen' });
      expect(acked?.acknowledgedAt?.getTime()).toBe(T0 + 25_000);
      await expect(alerts.transition(first, ['open'], { status: 'acknowledged' })).resolves.toBeNull(); // lost the race
      expect((await alerts.findById(first))?.notes).toBe('seen');
    });

    it('resolveActive resolves one camera + condition (appending the note), then a new alert of it may open', async () => {
      const done = await alerts.resolveActive(at(40), 'superseded', camA, 'risk_level');
      expect(done.map((a) => [a.id, a.status, a.notes])).toEqual([[first, 'resolved', 'seen\nsuperseded']]);
      const row = await alerts.findById(first);
      expect(row).toMatchObject({ status: 'resolved', resolvedBy: null, notes: 'seen\nsuperseded' });
      expect(row?.resolvedAt?.getTime()).toBe(T0 + 40_000);
      await alerts.insert(alert({ cameraId: camA, createdAt: at(50) })); // the unique index only covers active rows
      const all = await alerts.resolveActive(at(60), 'server restarted');
      expect(all.map((a) => a.notes)).toEqual(['server restarted', 'server restarted', 'server restarted']);
      expect(await alerts.findActive()).toEqual([]);
      await expect(alerts.resolveActive(at(61), 'again')).resolves.toEqual([]);
    });

    it('queries newest first with filters and paging', async () => {
      const ids = (r: { items: Array<{ createdAt: Date }> }) => r.items.map((a) => (a.createdAt.getTime() - T0) / 1000);
      expect(ids(await alerts.query())).toEqual([50, 13, 12, 10]);
      expect((await alerts.query()).total).toBe(4);
      expect(ids(await alerts.query({ cameraId: camA }))).toEqual([50, 12, 10]);
      expect(ids(await alerts.query({ level: 'CRITICAL' }))).toEqual([12, 10]);
      expect(ids(await alerts.query({ condition: 'capacity' }))).toEqual([12]);
      expect(ids(await alerts.query({ status: 'resolved', from: at(12), to: at(50) }))).toEqual([13, 12]);
      const page = await alerts.query({ limit: 2, offset: 1 });
      expect([ids(page), page.total]).toEqual([[13, 12], 4]);
      expect(ids(await alerts.query({ limit: 100000 }))).toHaveLength(4); // clamped, not refused
      expect(ids(await alerts.query({ limit: 0, offset: -5 }))).toEqual([50]); // at least one, from the start
    });

    it('statistics: counts by level / status / condition / camera, mean and median trigger -> acknowledge', async () => {
      const [b] = (await alerts.query({ cameraId: camB })).items;
      await alerts.update(b?.id ?? '', { acknowledgedAt: at(13 + 35) }); // 35 s
      const s = await alerts.statistics();
      expect(s).toEqual({
        total: 4,
        byLevel: { CRITICAL: 2, WARNING: 2 },
        byStatus: { resolved: 4 },
        byCondition: { capacity: 1, risk_level: 3 },
        byCamera: { [camA]: 3, [camB]: 1 },
        responseTime: { count: 2, meanMs: 25_000, medianMs: 25_000 }, // 15 s and 35 s
      });
      expect((await alerts.statistics(at(13), at(14))).responseTime).toEqual({ count: 1, meanMs: 35_000, medianMs: 35_000 });
      expect((await alerts.statistics(at(100))).total).toBe(0);
    });
  });

  describe('AlertRecipientRepository', () => {
    it('is empty at first; malformed and unknown ids read as not found', async () => {
      await expect(recipients.list()).resolves.toEqual([]);
      await expect(recipients.count()).resolves.toBe(0);
      await expect(recipients.findById('x')).resolves.toBeNull();
      await expect(recipients.update(randomUUID(), { isActive: false })).resolves.toBeNull();
      await expect(recipients.delete('x')).resolves.toBe(false);
      await expect(recipients.delete(randomUUID())).resolves.toBe(false);
    });

    it('creates with defaults, lists by name, lists the active ones, updates and deletes', async () => {
      const sub = JSON.stringify({ endpoint: `https://fcm.googleapis.com/fcm/send/${'a'.repeat(600)}`, keys: { p256dh: 'B'.repeat(87), auth: 'c'.repeat(22) } });
      const push = await recipients.create({ name: 'Steward phone', channel: 'push', destination: sub, minLevel: 'CRITICAL', cameraId: camA });
      expect(push).toMatchObject({ name: 'Steward phone', channel: 'push', destination: sub, minLevel: 'CRITICAL', cameraId: camA, isActive: true });
      const email = await recipients.create({ name: 'Control room', channel: 'email', destination: 'control@example.org' });
      expect(email).toMatchObject({ cameraId: null, minLevel: 'WARNING', isActive: true });
      const off = await recipients.create({ name: 'Archive hook', channel: 'webhook', destination: 'https://hooks.example.org/x', isActive: false });
      expect((await recipients.list()).map((r) => r.name)).toEqual(['Archive hook', 'Control room', 'Steward phone']);
      expect((await recipients.listActive()).map((r) => r.name)).toEqual(['Control room', 'Steward phone']);
      await expect(recipients.count()).resolves.toBe(3);

      const upd = await recipients.update(push.id, { isActive: false, name: undefined });
      expect(upd).toMatchObject({ name: 'Steward phone', isActive: false, destination: sub });
      expect((await recipients.listActive()).map((r) => r.name)).toEqual(['Control room']);
      await expect(recipients.update(email.id, { cameraId: null, minLevel: 'CRITICAL' })).resolves.toMatchObject({ cameraId: null, minLevel: 'CRITICAL' });
      await expect(recipients.update(off.id, {})).resolves.toMatchObject({ id: off.id }); // nothing to change
      await expect(recipients.delete(off.id)).resolves.toBe(true);
      await expect(recipients.delete(off.id)).resolves.toBe(false);
      await expect(recipients.findById(off.id)).resolves.toBeNull();
    });

    it('refuses a recipient of a camera that does not exist (foreign key)', async () => {
      await expect(recipients.create({ name: 'Ghost', channel: 'email', destination: 'g@example.org', cameraId: randomUUID() })).rejects.toThrow();
      await expect(recipients.count()).resolves.toBe(2);
    });
  });
});
