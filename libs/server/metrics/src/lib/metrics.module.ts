import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsWriter } from './metrics-writer';

/**
 * GET /api/metrics/... and the batched MetricsWriter. Needs DatabaseModule.forRoot (global repositories) and
 * APP_CONFIG (AppConfigModule) in the application. PerSecondAggregator is a plain class: `new` one per camera.
 */
@Module({
  controllers: [MetricsController],
  providers: [MetricsWriter],
  exports: [MetricsWriter],
})
export class MetricsModule {}
