import { Global, Module } from '@nestjs/common';
import { AlertCommandsSlot, ClusterBus, LiveEventsPublisher } from '@crowdsafe/server-core';
import { LiveGateway } from './live.gateway';

/**
 * Provides the WebSocket gateway as the process-wide LiveEventsPublisher, the ClusterBus it carries, and the slot the
 * alerts module fills with its commands (the gateway's `acknowledge_alert`).
 */
@Global()
@Module({
  providers: [
    AlertCommandsSlot,
    LiveGateway,
    { provide: LiveEventsPublisher, useExisting: LiveGateway },
    { provide: ClusterBus, useFactory: (gateway: LiveGateway) => gateway.bus, inject: [LiveGateway] },
  ],
  exports: [LiveEventsPublisher, ClusterBus, AlertCommandsSlot],
})
export class RealtimeModule {}
