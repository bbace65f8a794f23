import { Global, Module } from '@nestjs/common';
import { ClusterBus, LiveEventsPublisher } from '@crowdsafe/server-core';
import { LiveGateway } from './live.gateway';

/** Provides the WebSocket gateway as the process-wide LiveEventsPublisher, and the ClusterBus it carries. */
@Global()
@Module({
  providers: [
    LiveGateway,
    { provide: LiveEventsPublisher, useExisting: LiveGateway },
    { provide: ClusterBus, useFactory: (gateway: LiveGateway) => gateway.bus, inject: [LiveGateway] },
  ],
  exports: [LiveEventsPublisher, ClusterBus],
})
export class RealtimeModule {}
