import { Module } from '@nestjs/common';
import { CrossingEventSink } from '@crowdsafe/server-core';
import { CrossingEventsWriter } from './crossings/crossing-events.writer';
import { CrossingsController } from './crossings/crossings.controller';
import { CrossingsRetentionJob } from './crossings/crossings-retention.job';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsRepository } from './analytics.repository';
import { MetricsController } from './metrics.controller';
import { MetricsRollup } from './metrics-rollup';
import { MetricsWriter } from './metrics-writer';

/**
 * GET /api/metrics/... and the batched MetricsWriter. Needs DatabaseModule.forRoot (global repositories) and
 * APP_CONFIG (AppConfigModule) in the application.
 */
@Module({
  controllers: [MetricsController, AnalyticsController, CrossingsController],
  providers: [
    MetricsWriter,
    AnalyticsRepository,
    MetricsRollup,
    CrossingEventsWriter,
    CrossingsRetentionJob,
    { provide: CrossingEventSink, useExisting: CrossingEventsWriter },
  ],
  exports: [MetricsWriter, AnalyticsRepository, MetricsRollup, CrossingEventSink, CrossingEventsWriter, CrossingsRetentionJob],
})
export class MetricsModule {}
