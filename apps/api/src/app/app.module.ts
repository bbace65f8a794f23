import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@crowdsafe/server-config';
import { serverModules } from '@crowdsafe/server-composition';
import { HealthController } from './health.controller';

/**
 * The api process. Embedded (no DATABASE_URL/REDIS_URL): SQLite + in-process inference, one process.
 * Distributed: PostgreSQL + BullMQ; inference runs in apps/worker processes. Its modules are the shared server
 * composition (libs/server/composition, the same list as the pipeline's) plus its health controller.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: serverModules(config),
      controllers: [HealthController],
    };
  }
}
