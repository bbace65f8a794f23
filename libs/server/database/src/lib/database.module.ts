import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { CameraRepository } from './camera.repository';
import { createDataSourceOptions, openDataSource } from './data-source';
import { MetricsRepository } from './metrics.repository';
import { CrossingEventRepository } from './crossing-event.repository';
import { MetricsRetentionJob } from './metrics-retention.job';
import { SystemLogRepository } from './system-log.repository';
import { AlertRepository } from './alert.repository';
import { AlertRecipientRepository } from './alert-recipient.repository';
import { ReportRepository } from './report.repository';

/**
 * The database connection (TypeORM DataSource, injectable as `DataSource`) and the repositories, for the whole app.
 * Connection problems surface as one StartupError line; nothing is retried by @nestjs/typeorm (openDataSource
 * retries transient failures itself, bounded by DB_CONNECT_TIMEOUT_S). The DataSource is closed on shutdown.
 */
@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...createDataSourceOptions(config), retryAttempts: 0, toRetry: () => false }),
          dataSourceFactory: () => openDataSource(config),
        }),
      ],
      providers: [
        // Local to this module (not exported): the retention job's settings.
        { provide: APP_CONFIG, useValue: config },
        CameraRepository,
        MetricsRepository,
        MetricsRetentionJob,
        SystemLogRepository,
        AlertRepository,
        AlertRecipientRepository,
        CrossingEventRepository,
        ReportRepository,
      ],
      exports: [CameraRepository, MetricsRepository, SystemLogRepository, AlertRepository, AlertRecipientRepository, CrossingEventRepository, ReportRepository],
    };
  }
}
