import { Module, type DynamicModule } from '@nestjs/common';
import { AiModule } from '@crowdsafe/server-ai';
import { AppConfigModule, type AppConfig } from '@crowdsafe/server-config';
import { LoggerModule } from 'nestjs-pino';
import { HeartbeatModule, pinoOptions } from '@crowdsafe/server-observability';

/**
 * The worker process: consumes inference jobs from Redis (BullMQ) and runs the detector. No HTTP, no DB. Its health:
 * a heartbeat file refreshed while Redis answers (`./crowdsafe health --role worker`).
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    // LOG_FORMAT=json: the same pino options as the api (no HTTP here, so no request logging).
    const json = config.ops.logFormat === 'json' ? [LoggerModule.forRoot({ pinoHttp: pinoOptions(config.logLevel, 'crowdsafe-worker') })] : [];
    return { module: WorkerModule, imports: [AppConfigModule.forRoot(config), AiModule.forWorker(config), HeartbeatModule.forRole('worker'), ...json] };
  }
}
