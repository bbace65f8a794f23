import { existsSync } from 'node:fs';
import { loadConfig } from '@crowdsafe/server-config';
import { restoreBackup } from '@crowdsafe/server-backup';

export const summary = 'restore a backup file into DATABASE_URL (or the embedded SQLite file) and DATA_DIR: restore <file> (stop the api first)';

export async function run(args: string[]): Promise<void> {
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) throw new Error('usage: ./crowdsafe restore <crowdsafe-backup-….tar.gz>');
  if (!existsSync(file)) throw new Error(`no such backup file: ${file}`);
  const config = loadConfig();
  const m = await restoreBackup(config, file);
  console.log(`restored the ${m.database} database of ${m.createdAt} and ${m.dataFiles.length} data file(s) from ${file}`);
}
