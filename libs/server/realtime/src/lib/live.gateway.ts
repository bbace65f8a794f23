import { Inject, Logger, type OnApplicationShutdown, Optional } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import {
  type AlertCommandAck,
  type AlertLiveEvent,
  type CameraStatusEvent,
  type GetMetricsAck,
  type LiveFrameEvent,
  type MetricsUpdateEvent,
  RecordingWsEvent,
  REPORT_PROGRESS_EVENT,
  type ReportProgressEvent,
  type RecordingStatusEvent,
  type RecordingStorageEvent,
  type SubscribeAck,
  type SystemNotificationEvent,
  WS_NAMESPACE,
  WsEvent,
} from '@crowdsafe/contracts';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { AlertCommandsSlot, type AuthUser, ClusterBus, CurrentUser, LiveEventsPublisher, LocalClusterBus, OperatorAccess, ViewerAccess } from '@crowdsafe/server-core';
import { LiveCluster } from './live-cluster';
import { notificationOfAlert } from './system-notifications';

const MAX_ROOMS_PER_CLIENT = 64;
/** Cameras whose latest metrics_update is kept for get_metrics (oldest-updated evicted beyond it). */
export const MAX_LATEST_METRICS = 2000;
const CAMERA_ID = /^[A-Za-z0-9-]{1,64}$/;

export const metricsRoom = (cameraId: string) => `camera:${cameraId}`;
export const framesRoom = (cameraId: string) => `frames:${cameraId}`;

function cameraIdOf(body: unknown): string | undefined {
  const id = (body as { cameraId?: unknown } | null)?.cameraId;
  return typeof id === 'string' && CAMERA_ID.test(id) ? id : undefined;
}

/** The spec's `{ camera_id }` as the product's `{ cameraId }` (an object either way; anything else stays invalid). */
function specBody(body: unknown): { cameraId?: unknown } | null {
  const id = (body as { camera_id?: unknown } | null)?.camera_id;
  return body && typeof body === 'object' ? { cameraId: id } : null;
}
const SPEC_ERROR = 'camera_id must be a camera id string';

/**
 * Live events over socket.io (namespace `/live`). Clients join a camera's room with `subscribe` to get
 * `metrics_update` (every second) and `camera_status`; `watch_frames` additionally streams annotated JPEG frames.
 * Frames are sent `volatile`: a viewer whose socket is still busy simply misses frames, so a slow client can
 * never grow a buffer on the server.
 */
@WebSocketGateway({ namespace: WS_NAMESPACE, cors: { origin: false }, maxHttpBufferSize: 64 * 1024 })
export class LiveGateway extends LiveEventsPublisher implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnApplicationShutdown {
  private readonly logger = new Logger('LiveGateway');
  /** Distributed mode (REDIS_URL): events and frame-watcher rooms shared by every api replica. */
  private readonly cluster: LiveCluster | null;
  /** Requests to the other processes (the Redis-backed cluster, or nobody in embedded mode). */
  readonly bus: ClusterBus;

  @WebSocketServer()
  server!: Namespace;

  constructor(
    private readonly alertCommands: AlertCommandsSlot,
    @Optional() @Inject(APP_CONFIG) config?: AppConfig,
  ) {
    super();
    const url = config?.queue.redisUrl;
    this.cluster = url ? new LiveCluster(url, `${config.queue.prefix}:socket.io`) : null;
    this.bus = this.cluster ?? new LocalClusterBus();
  }

  afterInit(server: Namespace): void {
    this.cluster?.attach(server);
  }

  /** After Nest has closed the socket.io server (whose Redis adapter still unsubscribes on close). */
  async onApplicationShutdown(): Promise<void> {
    await this.cluster?.close();
  }

  handleConnection(client: Socket): void {
    this.logger.debug(`client ${client.id} connected`);
  }

  handleDisconnect(client: Socket): void {
    this.logger.debug(`client ${client.id} disconnected`);
  }

  @ViewerAccess()
  @SubscribeMessage(WsEvent.Subscribe)
  async subscribe(@ConnectedSocket() client: Socket, @MessageBody() body: unknown): Promise<SubscribeAck> {
    const cameraId = cameraIdOf(body);
    if (!cameraId) return { ok: false, error: 'cameraId must be a camera id string' };
    if (client.rooms.size > MAX_ROOMS_PER_CLIENT) return { ok: false, error: `at most ${MAX_ROOMS_PER_CLIENT} subscriptions per connection` };
    await client.join(metricsRoom(cameraId));
    return { ok: true };
  }

  @ViewerAccess()
  @SubscribeMessage(WsEvent.Unsubscribe)
  async unsubscribe(@ConnectedSocket() client: Socket, @MessageBody() body: unknown): Promise<SubscribeAck> {
    const cameraId = cameraIdOf(body);
    if (!cameraId) return { ok: false, error: 'cameraId must be a camera id string' };
    // Both rooms in the same tick: with an await between them, a `subscribe`/`watch_frames` sent right after this
    // event could join between the two leaves and be undone by the second one.
    await Promise.all([client.leave(metricsRoom(cameraId)), client.leave(framesRoom(cameraId))]);
    return { ok: true };
  }

  @ViewerAccess()
  @SubscribeMessage(WsEvent.WatchFrames)
  async watchFrames(@ConnectedSocket() client: Socket, @MessageBody() body: unknown): Promise<SubscribeAck> {
    const cameraId = cameraIdOf(body);
    const enabled = (body as { enabled?: unknown } | null)?.enabled;
    if (!cameraId || typeof enabled !== 'boolean') return { ok: false, error: 'expected { cameraId: string, enabled: boolean }' };
    if (enabled) {
      if (client.rooms.size > MAX_ROOMS_PER_CLIENT) return { ok: false, error: `at most ${MAX_ROOMS_PER_CLIENT} subscriptions per connection` };
      await client.join(framesRoom(cameraId));
    } else await client.leave(framesRoom(cameraId));
    return { ok: true };
  }

  // ---- the spec's names (documented equivalents) ----

  /** `subscribe_camera` { camera_id } = `subscribe` { cameraId }. */
  @ViewerAccess()
  @SubscribeMessage(WsEvent.SubscribeCamera)
  async subscribeCamera(@ConnectedSocket() client: Socket, @MessageBody() body: unknown): Promise<SubscribeAck> {
    const ack = await this.subscribe(client, specBody(body));
    return ack.ok ? ack : { ok: false, error: ack.error?.startsWith('cameraId') ? SPEC_ERROR : ack.error };
  }

  /** `unsubscribe_camera` { camera_id } = `unsubscribe` { cameraId } (metrics and frames). */
  @ViewerAccess()
  @SubscribeMessage(WsEvent.UnsubscribeCamera)
  async unsubscribeCamera(@ConnectedSocket() client: Socket, @MessageBody() body: unknown): Promise<SubscribeAck> {
    const ack = await this.unsubscribe(client, specBody(body));
    return ack.ok ? ack : { ok: false, error: SPEC_ERROR };
  }

  /** `get_metrics` { camera_id } (or { cameraId }): the camera's latest `metrics_update` in this process, or null. */
  @ViewerAccess()
  @SubscribeMessage(WsEvent.GetMetrics)
  getMetrics(@MessageBody() body: unknown): GetMetricsAck {
    const cameraId = cameraIdOf(specBody(body)) ?? cameraIdOf(body);
    if (!cameraId) return { ok: false, error: SPEC_ERROR };
    return { ok: true, metrics: this.latest.get(cameraId) ?? null };
  }

  // ---- alerts ----

  /** `acknowledge_alert` {alertId, notes?}: acknowledges through the alert commands; the `alert` event goes to all. */
  @OperatorAccess()
  @SubscribeMessage(WsEvent.AcknowledgeAlert)
  async acknowledgeAlert(@MessageBody() body: unknown, @CurrentUser() user: AuthUser | undefined): Promise<AlertCommandAck> {
    const b = (body && typeof body === 'object' ? body : {}) as { alertId?: unknown; notes?: unknown };
    if (typeof b.alertId !== 'string') return { ok: false, error: 'expected { alertId: string, notes?: string }' };
    if (b.notes !== undefined && typeof b.notes !== 'string') return { ok: false, error: 'notes must be a string' };
    // Late-bound: the alert commands depend on the cameras, which publish through this gateway (AlertCommandsSlot).
    const commands = this.alertCommands.get();
    if (!commands) return { ok: false, error: 'alerts are not available in this process' };
    try {
      const r = await commands.acknowledge(b.alertId, user, b.notes);
      return r.ok ? { ok: true } : { ok: false, error: r.error };
    } catch (err) {
      this.logger.error(`acknowledge_alert failed: ${String(err)}`);
      return { ok: false, error: 'internal error' };
    }
  }

  /** Every connected client gets every alert change (camera offline / pipeline errors also as system_notification). */
  override publishAlert(event: AlertLiveEvent): void {
    this.server?.emit(WsEvent.Alert, event);
    const note = notificationOfAlert(event);
    if (note) this.publishSystemNotification(note);
  }

  override publishSystemNotification(event: SystemNotificationEvent): void {
    this.server?.emit(WsEvent.SystemNotification, event);
  }

  /** Recordings: every connected client (the console shows running recordings and the disk warning everywhere). */
  override publishRecordingStatus(event: RecordingStatusEvent): void {
    this.server?.emit(RecordingWsEvent.RecordingStatus, event);
  }

  override publishRecordingStorage(event: RecordingStorageEvent): void {
    this.server?.emit(RecordingWsEvent.RecordingStorage, event);
  }

  /** Report generation progress: every connected client (the Reports page of whoever asked follows it). */
  override publishReportProgress(event: ReportProgressEvent): void {
    this.server?.emit(REPORT_PROGRESS_EVENT, event);
  }

  override connectedClients(): number {
    return this.server?.sockets?.size ?? 0;
  }

  /** Latest metrics_update per camera (for get_metrics), bounded by MAX_LATEST_METRICS. */
  private readonly latest = new Map<string, MetricsUpdateEvent>();

  publishMetrics(event: MetricsUpdateEvent): void {
    this.latest.delete(event.cameraId);
    this.latest.set(event.cameraId, event);
    if (this.latest.size > MAX_LATEST_METRICS) this.latest.delete(this.latest.keys().next().value as string);
    this.server?.to(metricsRoom(event.cameraId)).emit(WsEvent.MetricsUpdate, event);
  }

  publishCameraStatus(event: CameraStatusEvent): void {
    this.server?.to(metricsRoom(event.cameraId)).emit(WsEvent.CameraStatus, event);
  }

  publishFrame(event: LiveFrameEvent): void {
    this.server?.to(framesRoom(event.cameraId)).volatile.emit(WsEvent.Frame, event);
  }

  /** Someone watches this camera's frames, on this replica or (distributed mode) on another one. */
  wantsFrames(cameraId: string): boolean {
    const room = framesRoom(cameraId);
    return (this.server?.adapter.rooms.get(room)?.size ?? 0) > 0 || (this.cluster?.hasRemote(room) ?? false);
  }
}
