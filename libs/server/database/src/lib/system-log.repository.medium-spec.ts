// system_logs on real PostgreSQL and on SQLite: write, filter, page, retention.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { loadConfig } from '@crowdsafe/server-config';
import { openDataSource } from './data-source';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database';
import { SystemLogRepository } from './system-log.repository';

jest.setTimeout(60_000);

const PG_ADMIN = process.env['TEST_PG_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe.each(['postgres', 'sqlite'] as const)('SystemLogRepository (%s)', (dialect) => {
  let ds: DataSource;
  let repo: SystemLogRepository;
  let scratch: ScratchDatabase | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'cs-syslog-'));

  beforeAll(async () => {
    if (dialect === 'postgres') {
      scratch = await createScratchDatabase(PG_ADMIN, 'cs_syslog');
      ds = await openDataSource(loadConfig({ DATABASE_URL: scratch.url, DATA_DIR: dir }, dir));
    } else {
      ds = await openDataSource(loadConfig({ SQLITE_PATH: join(dir, 'db.sqlite'), DATA_DIR: dir }, dir));
    }
    repo = new SystemLogRepository(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
    await scratch?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns nothing from an empty table', async () => {
    await expect(repo.query()).resolves.toEqual({ items: [], total: 0 });
  });

  it('writes entries and filters by category, level, text and time, newest first', async () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    await repo.write({ category: 'auth', action: 'auth.login_failed', level: 'warn', message: 'Login failed for bob', ip: '10.0.0.1', time: t0 });
    await repo.write({ category: 'audit', action: 'camera.update', message: 'Camera "Gate 1" updated', details: { before: { fps: 5 }, after: { fps: 10 } }, time: new Date(t0.getTime() + 1000) });
    await repo.write({ category: 'system', message: '100%_done', time: new Date(t0.getTime() + 2000) });
    const all = await repo.query();
    expect(all.total).toBe(3);
    expect(all.items.map((i) => i.category)).toEqual(['system', 'audit', 'auth']);
    expect((await repo.query({ category: 'auth' })).items[0]).toMatchObject({ level: 'warn', ip: '10.0.0.1', action: 'auth.login_failed' });
    expect((await repo.query({ search: 'GATE' })).items[0]?.details).toEqual({ before: { fps: 5 }, after: { fps: 10 } });
    expect((await repo.query({ search: '%_' })).total).toBe(1);
    expect((await repo.query({ from: new Date(t0.getTime() + 500) })).total).toBe(2);
    expect((await repo.query({ limit: 1, offset: 1 })).items.map((i) => i.category)).toEqual(['audit']);
    expect((await repo.query({ userId: 'not-a-uuid' })).total).toBe(0);
  });

  it('deletes entries older than the retention cut-off', async () => {
    await expect(repo.deleteOlderThan(new Date('2026-01-01T00:00:01.500Z'))).resolves.toBe(2);
    expect((await repo.query()).total).toBe(1);
  });
});
