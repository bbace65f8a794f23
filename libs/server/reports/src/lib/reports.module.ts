import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@crowdsafe/server-config';
import { BullMqReportQueue, InProcessReportQueue, ReportQueue } from './report-queue';
import { ReportScheduler } from './report-scheduler';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/**
 * Reports (spec 5.3): POST/GET /api/reports, jobs on the `reports` queue (BullMQ with REDIS_URL, else in-process),
 * PDF (pdfmake, SVG charts) and Excel (exceljs), the scheduled daily summary mail and retention. Needs APP_CONFIG,
 * DatabaseModule and ScheduleModule; publishes progress through the LiveGateway when present.
 */
@Module({})
export class ReportsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ReportsModule,
      controllers: [ReportsController],
      providers: [
        { provide: ReportQueue, useFactory: () => (config.queue.redisUrl ? new BullMqReportQueue({ redisUrl: config.queue.redisUrl, prefix: config.queue.prefix }) : new InProcessReportQueue()) },
        ReportsService,
        ReportScheduler,
      ],
      exports: [ReportsService, ReportScheduler],
    };
  }
}
