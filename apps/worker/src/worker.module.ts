import { Module, type DynamicModule } from '@nestjs/common';
import { AiModule } from '@crowdsafe/server-ai';
import { AppConfigModule, type AppConfig } from '@crowdsafe/server-config';

/** The worker process: consumes inference jobs from Redis (BullMQ) and runs the detector. No HTTP, no DB. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: WorkerModule, imports: [AppConfigModule.forRoot(config), AiModule.forWorker(config)] };
  }
}
