import { Module } from '@nestjs/common';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsRepository } from './analytics.repository';
import { MetricsController } from './metrics.controller';
import { MetricsRollup } from './metrics-rollup';
import { MetricsWriter } from './metrics-writer';

/**
 * GET /api/metrics/... and the batched MetricsWriter. Needs DatabaseModule.forRoot (global repositories) and
 * APP_CONFIG (AppConfigModule) in the application. PerSecondAggregator is a plain class: `new` one per camera.
 */
@Module({
  controllers: [MetricsController, AnalyticsController],
  providers: [MetricsWriter, AnalyticsRepository, MetricsRollup],
  exports: [MetricsWriter, AnalyticsRepository, MetricsRollup],
})
export class MetricsModule {}
