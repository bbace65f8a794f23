import { Global, Logger, Module, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { AlertNotifier, DeliveryOutcomeSink } from '@crowdsafe/server-core';
import { SystemLogRepository } from '@crowdsafe/server-database';
import { NotificationService } from './notification.service';
import { PushKeyController } from './push-key.controller';

/** Starts the delivery queue (and its BullMQ worker) once the app is up, closes it on shutdown. */
class NotificationsLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly service: NotificationService,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The alert service provides the sink from its own module: look it up application-wide, if there is one.
    try {
      this.service.setOutcomeSink(this.moduleRef.get(DeliveryOutcomeSink, { strict: false }));
    } catch {
      new Logger('Notifications').log('no DeliveryOutcomeSink provided: delivery outcomes are only logged');
    }
    await this.service.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.service.close();
  }
}

/**
 * AlertNotifier (email / SMS / web push / webhook) for the whole application. Needs AppConfigModule and
 * DatabaseModule.forRoot (SystemLogRepository). Global, so the alerts module can inject AlertNotifier.
 */
@Global()
@Module({
  controllers: [PushKeyController],
  providers: [
    {
      provide: NotificationService,
      inject: [APP_CONFIG, SystemLogRepository],
      useFactory: (config: AppConfig, logs: SystemLogRepository) => NotificationService.fromAppConfig(config, { logs }),
    },
    { provide: AlertNotifier, useExisting: NotificationService },
    {
      provide: NotificationsLifecycle,
      inject: [NotificationService, ModuleRef],
      useFactory: (s: NotificationService, m: ModuleRef) => new NotificationsLifecycle(s, m),
    },
  ],
  exports: [AlertNotifier, NotificationService],
})
export class NotificationsModule {}
