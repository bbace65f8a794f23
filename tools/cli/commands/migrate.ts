import { loadConfig } from '@crowdsafe/server-config';
import { runMigrations } from '@crowdsafe/server-database';

export const summary = 'run pending PostgreSQL migrations (DATABASE_URL)';

export async function run(): Promise<void> {
  const config = loadConfig();
  if (config.database.type !== 'postgres') {
    console.log('No DATABASE_URL: the embedded SQLite schema is created by the api at start; nothing to migrate.');
    return;
  }
  await runMigrations(config);
}
