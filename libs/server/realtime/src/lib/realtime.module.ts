import { Global, Module } from '@nestjs/common';
import { LiveEventsPublisher } from '@crowdsafe/server-core';
import { LiveGateway } from './live.gateway';

/** Provides the WebSocket gateway as the process-wide LiveEventsPublisher. */
@Global()
@Module({
  providers: [LiveGateway, { provide: LiveEventsPublisher, useExisting: LiveGateway }],
  exports: [LiveEventsPublisher],
})
export class RealtimeModule {}
