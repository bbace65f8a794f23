import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import type { AppConfig } from '@crowdsafe/server-config';
import { redactUrl } from '@crowdsafe/server-core';

const run = promisify(execFile);
export const BACKUP_FORMAT_VERSION = 1;
const NAME = /^crowdsafe-backup-\d{8}T\d{6}Z\.tar\.gz$/;

export interface BackupManifest {
  format: number;
  createdAt: string;
  database: 'postgres' | 'sqlite';
  /** DATA_DIR files saved next to the database (keys and small state files; not snapshots, reports or backups). */
  dataFiles: string[];
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: BackupManifest;
}

/**
 * Files of DATA_DIR that a restore needs with the database: the top-level regular files (secrets.key, jwt-secret
 * and other index/state files) except the SQLite database itself and its WAL/SHM (saved by the online backup).
 */
async function dataFiles(config: AppConfig): Promise<string[]> {
  const entries = await readdir(config.dataDir, { withFileTypes: true }).catch(() => []);
  const sqlite = config.database.type === 'sqlite' ? basename(config.database.path) : null;
  return entries
    .filter((e) => e.isFile() && !(sqlite && (e.name === sqlite || e.name === `${sqlite}-wal` || e.name === `${sqlite}-shm` || e.name === `${sqlite}-journal`)) && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

/** libpq environment from DATABASE_URL, so the password never appears on a command line. */
function pgEnv(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  return {
    // eslint-disable-next-line no-restricted-properties -- the child inherits PATH to find pg_dump; not configuration
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    PGHOST: u.hostname,
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username),
    PGPASSWORD: decodeURIComponent(u.password),
    PGDATABASE: decodeURIComponent(u.pathname.replace(/^\//, '')),
    ...(u.searchParams.get('sslmode') ? { PGSSLMODE: u.searchParams.get('sslmode') as string } : {}),
  };
}

async function tool(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<void> {
  try {
    await run(cmd, args, { ...(env ? { env } : {}), maxBuffer: 64 << 20 });
  } catch (err) {
    const e = err as { code?: string; stderr?: string; message: string };
    if (e.code === 'ENOENT') throw new Error(`${cmd} is not installed (PostgreSQL client tools are needed for backups of DATABASE_URL; apt-get install postgresql-client)`);
    throw new Error(`${cmd} failed: ${redactUrl((e.stderr || e.message).trim()).slice(0, 500)}`);
  }
}

/**
 * One backup file `crowdsafe-backup-<UTC stamp>.tar.gz` in `dir`: manifest.json, the database (PostgreSQL:
 * `pg_dump -Fc`; SQLite: better-sqlite3's online backup API, safe while the api writes) and DATA_DIR's state files.
 */
export async function createBackup(config: AppConfig, dir = config.ops.backup.dir, now = new Date()): Promise<BackupResult> {
  await mkdir(dir, { recursive: true });
  const stage = await mkdtemp(join(tmpdir(), 'cs-backup-'));
  try {
    if (config.database.type === 'postgres') {
      await tool('pg_dump', ['-Fc', '--no-owner', '--no-privileges', '-f', join(stage, 'database.dump')], pgEnv(config.database.url));
    } else {
      const db = new Database(config.database.path, { readonly: true, fileMustExist: true });
      try {
        await db.backup(join(stage, 'database.sqlite'));
      } finally {
        db.close();
      }
    }
    const files = await dataFiles(config);
    await mkdir(join(stage, 'data'));
    for (const f of files) await copyFile(join(config.dataDir, f), join(stage, 'data', f));
    const manifest: BackupManifest = { format: BACKUP_FORMAT_VERSION, createdAt: now.toISOString(), database: config.database.type, dataFiles: files };
    await writeFile(join(stage, 'manifest.json'), JSON.stringify(manifest, null, 2));
    const file = join(dir, `crowdsafe-backup-${stamp(now)}.tar.gz`);
    await tool('tar', ['-czf', `${file}.part`, '-C', stage, '.']);
    await rm(file, { force: true });
    await tool('mv', [`${file}.part`, file]);
    return { file, bytes: (await stat(file)).size, manifest };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/**
 * Restores a backup into the configured database and DATA_DIR. PostgreSQL: `pg_restore --clean --if-exists` into
 * DATABASE_URL (run it with the api stopped, or expect its writes to be overwritten). SQLite: replaces the database
 * file; the api must be stopped (refused when the file is locked by a writer).
 */
export async function restoreBackup(config: AppConfig, file: string): Promise<BackupManifest> {
  const stage = await mkdtemp(join(tmpdir(), 'cs-restore-'));
  try {
    await tool('tar', ['-xzf', file, '-C', stage]);
    const manifest = JSON.parse(await readFile(join(stage, 'manifest.json'), 'utf8')) as BackupManifest;
    if (manifest.format !== BACKUP_FORMAT_VERSION) throw new Error(`unsupported backup format ${manifest.format}`);
    if (manifest.database !== config.database.type) throw new Error(`the backup holds a ${manifest.database} database but this configuration uses ${config.database.type}${config.database.type === 'postgres' ? ' (DATABASE_URL)' : ''}`);
    if (config.database.type === 'postgres') {
      await tool('pg_restore', ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', '-d', pgEnv(config.database.url)['PGDATABASE'] as string, join(stage, 'database.dump')], pgEnv(config.database.url));
    } else {
      const target = config.database.path;
      await mkdir(join(target, '..'), { recursive: true });
      for (const suffix of ['-wal', '-shm', '-journal']) await rm(`${target}${suffix}`, { force: true });
      await copyFile(join(stage, 'database.sqlite'), target);
    }
    await mkdir(config.dataDir, { recursive: true });
    for (const f of manifest.dataFiles) if (basename(f) === f) await copyFile(join(stage, 'data', f), join(config.dataDir, f));
    return manifest;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/** Deletes all but the newest `keep` backups in `dir` (by the UTC stamp in the name); returns the deleted names. */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => NAME.test(n)).sort();
  const drop = names.slice(0, Math.max(0, names.length - keep));
  for (const n of drop) await rm(join(dir, n), { force: true });
  return drop;
}
