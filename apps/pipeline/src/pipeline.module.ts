import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AiModule } from '@crowdsafe/server-ai';
import { AlertsModule } from '@crowdsafe/server-alerts';
import { AuthModule } from '@crowdsafe/server-auth';
import { CamerasModule } from '@crowdsafe/server-cameras';
import { AppConfigModule, type AppConfig } from '@crowdsafe/server-config';
import { DatabaseModule } from '@crowdsafe/server-database';
import { MetricsModule } from '@crowdsafe/server-metrics';
import { NotificationsModule } from '@crowdsafe/server-notifications';
import { HeartbeatModule, ObservabilityModule } from '@crowdsafe/server-observability';
import { RealtimeModule } from '@crowdsafe/server-realtime';
import { RecordingsModule } from '@crowdsafe/server-recordings';
import { ReportsModule } from '@crowdsafe/server-reports';
import { SecurityModule } from '@crowdsafe/server-security';
import { SettingsModule } from '@crowdsafe/server-settings';
import { SystemModule } from '@crowdsafe/server-system';

/**
 * The pipeline process (distributed mode): owns cameras by lease — ingest, tracking, analytics, risk, alerts, live
 * frames, recordings — and writes metrics and alerts. The same modules as the api's AppModule (one build, the same
 * providers and cluster handlers: camera changes, alert commands, snapshots), but its HTTP server answers nothing
 * except GET /api/health (see main.ts) and its socket.io server accepts no clients: live events reach the consoles
 * connected to the api replicas through the socket.io Redis adapter, and ClusterBus requests from the api replicas
 * are answered here for the cameras this process owns.
 *
 * Keep the module list in step with apps/api/src/app/app.module.ts (apps may not import each other).
 */
@Module({})
export class PipelineModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: PipelineModule,
      imports: [
        AppConfigModule.forRoot(config),
        SecurityModule.forRoot(config),
        ScheduleModule.forRoot(),
        DatabaseModule.forRoot(config),
        AuthModule.forRoot(config),
        RealtimeModule,
        AiModule.forApi(config),
        MetricsModule,
        SettingsModule,
        SystemModule,
        CamerasModule,
        NotificationsModule,
        AlertsModule,
        RecordingsModule,
        ObservabilityModule.forRoot(config),
        ReportsModule.forRoot(config),
        HeartbeatModule.forRole('pipeline'),
      ],
    };
  }
}
