import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { BullMqJobConsumer, describeDetector, PersonDetector, WORKER_NEEDS_REDIS } from '@crowdsafe/server-ai';
import { ConfigError, loadConfig, type AppConfig } from '@crowdsafe/server-config';
import { StartupAwareLogger, StartupError } from '@crowdsafe/server-core';
import { WorkerModule } from './worker.module';

// Inference worker: node dist/server/apps/worker/src/main.js (or node -r ./tools/ts-register.js apps/worker/src/main.ts).
// Exit codes: 2 = invalid configuration, 1 = startup failure.

function fail(code: number, message: string, hint?: string): never {
  process.stderr.write(`error: ${message}\n${hint ? `hint: ${hint}\n` : ''}`);
  process.exit(code);
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) fail(2, e.message);
    throw e;
  }
  if (!config.queue.redisUrl) {
    throw new StartupError(WORKER_NEEDS_REDIS, 'Set REDIS_URL (e.g. redis://127.0.0.1:6379) for the api and the workers.');
  }

  const json = config.ops.logFormat === 'json';
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: new StartupAwareLogger(config.logLevel, 'Worker'),
    bufferLogs: json,
    abortOnError: false,
  });
  if (json) app.useLogger(app.get(PinoNestLogger));
  app.enableShutdownHooks();

  const detector = app.get(PersonDetector);
  const consumer = app.get(BullMqJobConsumer);
  new Logger('Worker').log(
    `worker ready: model ${describeDetector(detector.info)} queue ${consumer.queues.join(',')} ` +
      `concurrency ${config.inference.workerConcurrency} pid ${process.pid}`,
  );
}

main().catch((e: unknown) => {
  if (e instanceof StartupError) fail(1, e.message, e.hint);
  fail(1, e instanceof Error ? (e.stack ?? e.message) : String(e));
});
