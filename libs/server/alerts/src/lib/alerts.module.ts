import { Global, Module } from '@nestjs/common';
import { CamerasModule } from '@crowdsafe/server-cameras';
import { AlertCommands, AlertEventSink, DeliveryOutcomeSink } from '@crowdsafe/server-core';
import { AlertCommandsService } from './alert-commands.service';
import { AlertDeliveryRecorder } from './alert-delivery-recorder';
import { AlertRecipientsController } from './alert-recipients.controller';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';
import { PushSubscriptionsController } from './push-subscriptions.controller';

/**
 * Alerts in the product: the AlertEventSink every camera runtime reports to (AlertsService), acknowledge/resolve
 * (AlertCommands, also used by the WebSocket gateway), the DeliveryOutcomeSink the notifier reports to, and the
 * REST API. Global so that CamerasModule and the gateway find the ports. Relies on the global APP_CONFIG, database
 * repositories and LiveEventsPublisher; an AlertNotifier is used when some module provides one.
 */
@Global()
@Module({
  imports: [CamerasModule],
  controllers: [AlertsController, AlertRecipientsController, PushSubscriptionsController],
  providers: [
    AlertsService,
    AlertCommandsService,
    AlertDeliveryRecorder,
    { provide: AlertEventSink, useExisting: AlertsService },
    { provide: AlertCommands, useExisting: AlertCommandsService },
    { provide: DeliveryOutcomeSink, useExisting: AlertDeliveryRecorder },
  ],
  exports: [AlertsService, AlertCommandsService, AlertEventSink, AlertCommands, DeliveryOutcomeSink],
})
export class AlertsModule {}
