import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@crowdsafe/server-config';
import { serverModules } from '@crowdsafe/server-composition';
import { HeartbeatModule } from '@crowdsafe/server-observability';

/**
 * The pipeline process (distributed mode): owns cameras by lease — ingest, tracking, analytics, risk, alerts, live
 * frames, recordings — and writes metrics and alerts. The same modules as the api's AppModule (the shared server
 * composition, libs/server/composition: the same providers and cluster handlers — camera changes, alert commands,
 * snapshots) plus its heartbeat, but its HTTP server answers nothing except GET /api/health (see main.ts) and its
 * socket.io server accepts no clients: live events reach the consoles connected to the api replicas through the
 * socket.io Redis adapter, and ClusterBus requests from the api replicas are answered here for the cameras this
 * process owns.
 */
@Module({})
export class PipelineModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: PipelineModule,
      imports: [...serverModules(config), HeartbeatModule.forRole('pipeline')],
    };
  }
}
