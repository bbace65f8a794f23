import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AiModule } from '@crowdsafe/server-ai';
import { CamerasModule } from '@crowdsafe/server-cameras';
import { AppConfigModule, type AppConfig } from '@crowdsafe/server-config';
import { DatabaseModule } from '@crowdsafe/server-database';
import { MetricsModule } from '@crowdsafe/server-metrics';
import { RealtimeModule } from '@crowdsafe/server-realtime';
import { HealthController } from './health.controller';

/**
 * The api process. Embedded (no DATABASE_URL/REDIS_URL): SQLite + in-process inference, one process.
 * Distributed: PostgreSQL + BullMQ; inference runs in apps/worker processes.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        ScheduleModule.forRoot(),
        DatabaseModule.forRoot(config),
        RealtimeModule,
        AiModule.forApi(config),
        MetricsModule,
        CamerasModule,
      ],
      controllers: [HealthController],
    };
  }
}
