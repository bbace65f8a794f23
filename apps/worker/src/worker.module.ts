import { Module, type DynamicModule } from '@nestjs/common';
import { AiModule } from '@crowdsafe/server-ai';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { LiveEventsPublisher, NullLiveEventsPublisher } from '@crowdsafe/server-core';

/** The worker process: consumes inference jobs from Redis (BullMQ) and runs the detector. No HTTP, no DB. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      global: true,
      imports: [AiModule.forWorker(config)],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        // Workers publish nothing live; anything that asks for a publisher gets the null one.
        { provide: LiveEventsPublisher, useClass: NullLiveEventsPublisher },
      ],
      exports: [APP_CONFIG, LiveEventsPublisher],
    };
  }
}
