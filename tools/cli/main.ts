// `crowdsafe <command>` subcommands that run inside Node (the bash entry point handles install/build/start).
// Each command is a module in ./commands exporting `summary` and `run(args)`; add a file to add a command.
import 'reflect-metadata';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@crowdsafe/server-config';
import { StartupError } from '@crowdsafe/server-core';

interface Command {
  summary: string;
  run(args: string[]): Promise<void>;
}

const dir = join(__dirname, 'commands');
const names = readdirSync(dir)
  .filter((f) => /^[a-z-]+\.(js|ts)$/.test(f) && !f.endsWith('.d.ts'))
  .map((f) => f.replace(/\.(js|ts)$/, ''));

async function main(): Promise<void> {
  const [name = '', ...args] = process.argv.slice(2);
  if (!names.includes(name) || !existsSync(dir)) {
    console.error(`error: unknown command '${name}'; known: ${names.join(', ')}`);
    process.exit(2);
  }
  const command = (await import(join(dir, name))) as Command;
  await command.run(args);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof StartupError) {
      console.error(`error: ${err.message}`);
      process.exit(1);
    }
    console.error(err instanceof Error ? `error: ${err.message}` : err);
    process.exit(1);
  },
);
