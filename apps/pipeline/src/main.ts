import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { NextFunction, Request, Response } from 'express';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { CameraSupervisor } from '@crowdsafe/server-cameras';
import { ConfigError, loadConfig, type AppConfig } from '@crowdsafe/server-config';
import { StartupAwareLogger, StartupError } from '@crowdsafe/server-core';
import { ProcessHeartbeat } from '@crowdsafe/server-observability';
import { PipelineModule } from './pipeline.module';

// Pipeline process (distributed mode): node dist/server/apps/pipeline/src/main.js, or ./crowdsafe pipeline.
// Exit codes: 2 = invalid configuration, 1 = startup failure.

function fail(code: number, message: string, hint?: string): never {
  process.stderr.write(`error: ${message}\n${hint ? `hint: ${hint}\n` : ''}`);
  process.exit(code);
}

/** socket.io here only carries the cluster (Redis adapter, server-side requests): clients belong on the api. */
class NoClientsIoAdapter extends IoAdapter {
  override create(port: number, options?: Parameters<IoAdapter['create']>[1]): ReturnType<IoAdapter['create']> {
    const ns = super.create(port, options) as unknown as { use(fn: (socket: unknown, next: (err?: Error) => void) => void): void };
    ns.use((_socket, next) => next(new Error('pipeline process: connect to an api replica')));
    return ns as unknown as ReturnType<IoAdapter['create']>;
  }
}

/** The pipeline's only HTTP answers: GET /api/health (liveness, owned cameras) and GET /metrics (Prometheus). */
function pipelineHttp(app: NestExpressApplication, config: AppConfig) {
  const supervisor = app.get(CameraSupervisor);
  const heartbeat = app.get(ProcessHeartbeat);
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' && req.path === '/metrics') return next();
    if (req.method === 'GET' && req.path === '/api/health') {
      const ownership = supervisor.ownershipStatus();
      res.json({
        status: 'ok',
        role: 'pipeline',
        uptimeS: Math.round(process.uptime()),
        database: config.database.type,
        node: ownership?.nodeId ?? null,
        nodes: ownership?.nodes.length ?? 0,
        cameras: supervisor.runningIds().length,
        heartbeats: heartbeat.beats,
      });
      return;
    }
    res.status(404).json({ statusCode: 404, message: 'pipeline process: no API here (use an api replica)' });
  };
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) fail(2, e.message);
    throw e;
  }
  if (!config.queue.redisUrl || config.database.type !== 'postgres') {
    throw new StartupError(
      'The pipeline role needs DATABASE_URL (PostgreSQL) and REDIS_URL (distributed mode).',
      'Embedded mode runs cameras inside the api: ./crowdsafe start. See docker/SCALING.md.',
    );
  }
  if (!config.cameras.enabled) throw new StartupError('CAMERAS_ENABLED=false: a pipeline process exists to run cameras.', 'Unset CAMERAS_ENABLED for pipeline processes (set it to false on the api replicas).');

  const json = config.ops.logFormat === 'json';
  const app = await NestFactory.create<NestExpressApplication>(PipelineModule.forRoot(config), {
    logger: new StartupAwareLogger(config.logLevel, 'Pipeline'),
    bufferLogs: json,
    abortOnError: false,
    bodyParser: false,
  });
  if (json) app.useLogger(app.get(PinoNestLogger));
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  app.useWebSocketAdapter(new NoClientsIoAdapter(app));
  // Before the routes Nest registers at listen(): nothing of the REST API is reachable on a pipeline.
  app.use(pipelineHttp(app, config));
  app.setGlobalPrefix('api', { exclude: ['metrics'] });
  await app.listen(config.port, config.host);
  new Logger('Pipeline').log(`pipeline ready: cameras by lease, health on http://${config.host}:${config.port}/api/health, pid ${process.pid}`);
}

main().catch((e: unknown) => {
  if (e instanceof StartupError) fail(1, e.message, e.hint);
  fail(1, e instanceof Error ? (e.stack ?? e.message) : String(e));
});
