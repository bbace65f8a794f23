import type { DynamicModule, Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AiModule } from '@crowdsafe/server-ai';
import { AlertsModule } from '@crowdsafe/server-alerts';
import { AuthModule } from '@crowdsafe/server-auth';
import { CamerasModule } from '@crowdsafe/server-cameras';
import { AppConfigModule, type AppConfig } from '@crowdsafe/server-config';
import { DatabaseModule } from '@crowdsafe/server-database';
import { MetricsModule } from '@crowdsafe/server-metrics';
import { NotificationsModule } from '@crowdsafe/server-notifications';
import { ObservabilityModule } from '@crowdsafe/server-observability';
import { RealtimeModule } from '@crowdsafe/server-realtime';
import { RecordingsModule } from '@crowdsafe/server-recordings';
import { ReportsModule } from '@crowdsafe/server-reports';
import { SecurityModule } from '@crowdsafe/server-security';
import { SettingsModule } from '@crowdsafe/server-settings';
import { SystemModule } from '@crowdsafe/server-system';

/** A Nest module import: a module class or a configured dynamic module. */
export type ServerModule = Type<unknown> | DynamicModule;

/**
 * The modules of a server process with the product's providers, in import order: the api (AppModule) and the
 * pipeline (PipelineModule) run the same providers and cluster handlers (camera changes, alert commands, snapshots)
 * from one build; what differs by role is added by each app after these (api: its health controller; pipeline:
 * its heartbeat) or decided at run time from the config (CAMERAS_ENABLED, the pipeline's HTTP filter).
 */
export function serverModules(config: AppConfig): ServerModule[] {
  return [
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
  ];
}
