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
import { RecordingsModule } from '@crowdsafe/server-recordings';
import { ObservabilityModule } from '@crowdsafe/server-observability';
import { ReportsModule } from '@crowdsafe/server-reports';
import { RealtimeModule } from '@crowdsafe/server-realtime';
import { SecurityModule } from '@crowdsafe/server-security';
import { SettingsModule } from '@crowdsafe/server-settings';
import { SystemModule } from '@crowdsafe/server-system';
import { HealthController } from './health.controller';

/**
 * The api process. Embedded (no DATABASE_URL/REDIS_URL): SQLite + in-process inference, one process.
 * Distributed: PostgreSQL + BullMQ; inference runs in apps/worker processes.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        // Security first: its rate-limit guard runs before authentication (libs/server/security).
        SecurityModule.forRoot(config),
        ScheduleModule.forRoot(),
        DatabaseModule.forRoot(config),
        // Authentication: global AccessGuard enforcing @Public/@Roles, sessions, users API, startup check for undeclared handlers.
        AuthModule.forRoot(config),
        RealtimeModule,
        AiModule.forApi(config),
        MetricsModule,
        // Settings, system and analytics APIs. SettingsModule is global: cameras follow the risk settings.
        SettingsModule,
        SystemModule,
        CamerasModule,
        // Alert delivery (B): global AlertNotifier (email/SMS/push/webhook queue); picks up a DeliveryOutcomeSink if one is provided.
        NotificationsModule,
        // Alerts: global AlertEventSink for the camera runtimes, alert API, acknowledge over WebSocket.
        AlertsModule,
        // Recordings (issue 14): segment outputs of every camera's ffmpeg, clips, retention, the recordings API.
        RecordingsModule,
        // Operations (#16): GET /metrics (Prometheus), HTTP latency, camera/AI events in system_logs.
        ObservabilityModule.forRoot(config),
        // Reports (#16): PDF/Excel report jobs, daily summary mail.
        ReportsModule.forRoot(config),
      ],
      controllers: [HealthController],
    };
  }
}
