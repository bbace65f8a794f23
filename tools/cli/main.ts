// `crowdsafe <command>` subcommands that run inside Node (the bash entry point handles install/build/start).
import 'reflect-metadata';
import { ConfigError, loadConfig } from '@crowdsafe/server-config';
import { StartupError } from '@crowdsafe/server-core';
import { runMigrations } from '@crowdsafe/server-database';

async function migrate(): Promise<void> {
  const config = loadConfig();
  if (config.database.type !== 'postgres') {
    console.log('No DATABASE_URL: the embedded SQLite schema is created by the api at start; nothing to migrate.');
    return;
  }
  await runMigrations(config);
}

const commands: Record<string, () => Promise<void>> = { migrate };

async function main(): Promise<void> {
  const name = process.argv[2] ?? '';
  const command = commands[name];
  if (!command) {
    console.error(`error: unknown command '${name}'; known: ${Object.keys(commands).join(', ')}`);
    process.exit(2);
  }
  await command();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof StartupError) {
      console.error(`error: ${err.message}`);
      process.exit(1);
    }
    console.error(err);
    process.exit(1);
  },
);
