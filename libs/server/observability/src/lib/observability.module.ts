import { type DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '@crowdsafe/server-config';
import { CameraEventLog } from '@crowdsafe/server-core';
import { BackupScheduler } from '@crowdsafe/server-backup';
import { SystemModule } from '@crowdsafe/server-system';
import { AiEventLog } from './ai-event-log';
import { SystemLogCameraEvents } from './camera-event-log';
import { nestPinoParams } from './json-logging';
import { MetricsCollector } from './metrics-collector';
import { PrometheusController } from './metrics.controller';
import { PrometheusMetrics } from './prometheus-metrics';

/**
 * Operations: the Prometheus endpoint (GET /metrics) and this process' registry (global: other modules may inject
 * PrometheusMetrics), camera lifecycle and AI events into system_logs (CameraEventLog), and with LOG_FORMAT=json the
 * nestjs-pino logger + request logging. Needs APP_CONFIG and DatabaseModule; reads SystemModule's stats.
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [SystemModule, ...(config.ops.logFormat === 'json' ? [LoggerModule.forRoot(nestPinoParams(config.logLevel))] : [])],
      controllers: [PrometheusController],
      providers: [
        { provide: PrometheusMetrics, useFactory: () => new PrometheusMetrics() },
        MetricsCollector,
        AiEventLog,
        // Scheduled backups (BACKUP_INTERVAL_HOURS, libs/server/backup).
        BackupScheduler,
        { provide: CameraEventLog, useClass: SystemLogCameraEvents },
      ],
      exports: [PrometheusMetrics, MetricsCollector, CameraEventLog],
    };
  }
}
