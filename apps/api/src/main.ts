import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '@crowdsafe/server-config';
import { StartupError } from '@crowdsafe/server-core';
import { createApp } from './app/bootstrap';

/** Prints anticipated startup problems as one line each (no stack) and exits non-zero. */
function fail(err: unknown): never {
  if (err instanceof ConfigError) {
    console.error(`error: ${err.message}`);
    process.exit(2);
  }
  if (err instanceof StartupError) {
    console.error(`error: ${err.message}${err.hint ? `\nhint: ${err.hint}` : ''}`);
    process.exit(1);
  }
  throw err;
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    fail(err);
  }
  try {
    const app = await createApp(config);
    await app.listen(config.port, config.host);
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const mode = config.embedded ? 'embedded: SQLite + in-process inference' : `database ${config.database.type}, queue ${config.queue.redisUrl ? 'BullMQ' : 'in-process'}`;
    const ready = `CrowdSafe is running (${mode}). Open http://${host}:${config.port}/  API docs: http://${host}:${config.port}/api/docs`;
    if (config.ops.logFormat === 'json') new Logger('CrowdSafe').log(ready);
    else console.log(ready);
  } catch (err) {
    fail(err);
  }
}

void main();
