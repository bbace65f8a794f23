// Backup round trip on real PostgreSQL (pg_dump / pg_restore) and on the embedded SQLite file (online backup while a
// connection writes): seed rows, back up, wipe, restore, compare every table's rows; DATA_DIR state files come back;
// retention keeps the newest BACKUP_KEEP; the CLI commands run end to end.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig, type AppConfig } from '@crowdsafe/server-config';
import { createScratchDatabase, openDataSource, type ScratchDatabase } from '@crowdsafe/server-database';
import { createBackup, pruneBackups, restoreBackup } from './backup';

jest.setTimeout(180_000);

const PG_AUTH = process.env.PGPASSWORD ? `${process.env.PGUSER ?? 'postgres'}:${encodeURIComponent(process.env.PGPASSWORD)}` : (process.env.PGUSER ?? 'postgres');
const ADMIN_URL = `postgres://${PG_AUTH}@${process.env.PGHOST ?? '127.0.0.1'}:${process.env.PGPORT ?? '5432'}/postgres`;
const REPO = resolve(__dirname, '../../../../..');
const TABLES = ['users', 'cameras', 'metrics', 'metrics_minute', 'alerts', 'system_logs', 'settings', 'reports'];

async function seed(ds: DataSource): Promise<void> {
  const [cam] = (await ds.query(`INSERT INTO "cameras" ("id", "name", "source_type", "source_url") VALUES ('6c1b3e52-9f36-4c2e-8a51-0f6d1c1a2b3c', 'Gate A', 'file', '/a.mp4') RETURNING "id"`)) as { id: string }[];
  for (let i = 0; i < 300; i++) {
    await ds.query(`INSERT INTO "metrics" ("camera_id", "time", "count", "metadata") VALUES ($1, $2, $3, '{}')`.replace(/\$(\d)/g, ds.options.type === 'postgres' ? '$$$1' : '?'), [cam?.id, new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), i % 17]);
  }
  await ds.query(`INSERT INTO "system_logs" ("time", "level", "category", "action", "message") VALUES (${ds.options.type === 'postgres' ? '$1' : '?'}, 'info', 'system', 'test', 'before the backup')`, [new Date().toISOString()]);
}

/** Every row of the compared tables, ordered, as JSON (what "the same data" means). */
async function snapshot(ds: DataSource): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of TABLES) {
    const rows = (await ds.query(`SELECT * FROM "${t}"`)) as Record<string, unknown>[];
    out[t] = JSON.stringify(rows.map((r) => JSON.stringify(r)).sort());
  }
  return out;
}

describe('backup and restore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-backup-'));
  const scratches: ScratchDatabase[] = [];
  afterAll(async () => {
    for (const s of scratches) await s.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('PostgreSQL: backup -> wipe -> restore gives the same rows and the DATA_DIR key files', async () => {
    const db = await createScratchDatabase(ADMIN_URL, 'cs_backup_medium');
    scratches.push(db);
    const dataDir = join(dir, 'pg-data');
    const config: AppConfig = loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir, DB_MIGRATIONS_RUN: 'true' }, dir);
    let ds = await openDataSource(config);
    await seed(ds);
    const key = readFileSync(join(dataDir, 'secrets.key'), 'utf8'); // generated at open: it decrypts the secret columns
    const before = await snapshot(ds);
    expect(JSON.parse(before['metrics'] as string)).toHaveLength(300);
    const b = await createBackup(config, join(dir, 'pg-backups'));
    expect(b.manifest).toMatchObject({ database: 'postgres', dataFiles: ['secrets.key'] });
    // Wipe: every table gone, the key file changed.
    await ds.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    await ds.destroy();
    rmSync(join(dataDir, 'secrets.key'));
    await restoreBackup(config, b.file);
    ds = await openDataSource(config);
    expect(await snapshot(ds)).toEqual(before);
    expect(readFileSync(join(dataDir, 'secrets.key'), 'utf8')).toBe(key);
    await ds.destroy();
  });

  it('SQLite: an online backup while a connection writes, then delete the file, restore, same rows', async () => {
    const dataDir = join(dir, 'sqlite-data');
    const config = loadConfig({ DATA_DIR: dataDir }, dir);
    let ds = await openDataSource(config);
    await seed(ds);
    writeFileSync(join(dataDir, 'jwt-secret'), 'jwt-material\n');
    const before = await snapshot(ds);
    const b = await createBackup(config, join(dir, 'sqlite-backups')); // ds still open and usable
    await ds.query(`INSERT INTO "system_logs" ("time", "level", "category", "message") VALUES (?, 'info', 'system', 'after the backup')`, [new Date().toISOString()]);
    await ds.destroy();
    rmSync(config.database.type === 'sqlite' ? config.database.path : '', { force: true });
    rmSync(join(dataDir, 'jwt-secret'));
    await restoreBackup(config, b.file);
    ds = await openDataSource(config);
    expect(await snapshot(ds)).toEqual(before); // the row written after the backup is not there
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8')).toBe('jwt-material\n');
    await ds.destroy();
  });

  it('refuses a backup of the other database kind, and keeps the newest BACKUP_KEEP', async () => {
    const config = loadConfig({ DATA_DIR: join(dir, 'sqlite-data') }, dir);
    const pgBackup = execFileSync('ls', [join(dir, 'pg-backups')], { encoding: 'utf8' }).trim().split('\n')[0] as string;
    await expect(restoreBackup(config, join(dir, 'pg-backups', pgBackup))).rejects.toThrow(/holds a postgres database but this configuration uses sqlite/);
    const keepDir = join(dir, 'keep');
    for (let i = 0; i < 4; i++) await createBackup(config, keepDir, new Date(Date.UTC(2026, 0, 1 + i)));
    expect(await pruneBackups(keepDir, 2)).toEqual(['crowdsafe-backup-20260101T000000Z.tar.gz', 'crowdsafe-backup-20260102T000000Z.tar.gz']);
    expect(existsSync(join(keepDir, 'crowdsafe-backup-20260104T000000Z.tar.gz'))).toBe(true);
  });

  it('./crowdsafe backup and restore (embedded)', () => {
    const dataDir = join(dir, 'sqlite-data');
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATA_DIR: dataDir, BACKUP_DIR: join(dir, 'cli'), CROWDSAFE_FROM_SOURCE: '1' };
    const out = execFileSync(join(REPO, 'crowdsafe'), ['backup'], { cwd: REPO, env, encoding: 'utf8' });
    expect(out).toMatch(/wrote .*crowdsafe-backup-\d{8}T\d{6}Z\.tar\.gz \(\d+ kB: sqlite database \+ 2 data file\(s\)\)/); // secrets.key, jwt-secret
    const file = /wrote (\S+)/.exec(out)?.[1] as string;
    const back = execFileSync(join(REPO, 'crowdsafe'), ['restore', file], { cwd: REPO, env, encoding: 'utf8' });
    expect(back).toMatch(/restored the sqlite database of .* and 2 data file\(s\)/);
  });
});
