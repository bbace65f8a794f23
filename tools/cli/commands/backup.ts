import { loadConfig } from '@crowdsafe/server-config';
import { createBackup, pruneBackups } from '@crowdsafe/server-backup';

export const summary = 'back up the database (pg_dump, or an online SQLite backup) and DATA_DIR state files: backup [--dir DIR]';

export async function run(args: string[]): Promise<void> {
  const config = loadConfig();
  const i = args.indexOf('--dir');
  const dir = i >= 0 && args[i + 1] ? args[i + 1] : config.ops.backup.dir;
  const r = await createBackup(config, dir);
  const pruned = await pruneBackups(dir, config.ops.backup.keep);
  console.log(`wrote ${r.file} (${(r.bytes / 1024).toFixed(0)} kB: ${r.manifest.database} database + ${r.manifest.dataFiles.length} data file(s))${pruned.length ? `; deleted ${pruned.length} older backup(s) (BACKUP_KEEP=${config.ops.backup.keep})` : ''}`);
}
