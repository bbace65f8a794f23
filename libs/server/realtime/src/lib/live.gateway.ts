import { Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import {
  type AlertCommandAck,
  type AlertLiveEvent,
  type CameraStatusEvent,
  type LiveFrameEvent,
  type MetricsUpdateEvent,
  RecordingWsEvent,
  type RecordingStatusEvent,
  type RecordingStorageEvent,
  type SubscribeAck,
  WS_NAMESPACE,
  WsEvent,
} from '@crowdsafe/contracts';
import { AlertCommands, type AuthUser, CurrentUser, LiveEventsPublisher, OperatorAccess, ViewerAccess } from '@crowdsafe/server-core';

const MAX_ROOMS_PER_CLIENT = 64;
const CAMERA_ID = /^[A-Za-z0-9-]{1,64}$/;

export const metricsRoom = (cameraId: string) => `camera:${cameraId}`;
export const framesRoom = (cameraId: string) => `frames:${cameraId}`;

function cameraIdOf(body: unknown): string | undefined {
  const id = (body as { cameraId?: unknown } | null)?.cameraId;
  return typeof id === 'string' && CAMERA_ID.test(id) ? id : undefined;
}

/**
 * Live events over socket.io (namespace `/live`). Clients join a camera's room with `subscribe` to get
 * `metrics_update` (every second) and `camera_status`; `watch_frames` additionally streams annotated JPEG frames.
 * Frames are sent `volatile`: a viewer whose socket is still busy simply misses frames, so a slow client can
 * never grow a buffer on the server.
 */
@WebSocketGateway({ namespace: WS_NAMESPACE, cors: { origin: false }, maxHttpBufferSize: 64 * 1024 })
export class LiveGateway extends LiveEventsPublisher implements OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger('LiveGateway');

  @WebSocketServer()
  server!: Namespace;

  constructor(private readonly moduleRef: ModuleRef) {
    super();
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

  // ---- alerts (A1) ----

  /** `acknowledge_alert` {alertId, notes?}: acknowledges through the alert commands; the `alert` event goes to all. */
  @OperatorAccess()
  @SubscribeMessage(WsEvent.AcknowledgeAlert)
  async acknowledgeAlert(@MessageBody() body: unknown, @CurrentUser() user: AuthUser | undefined): Promise<AlertCommandAck> {
    const b = (body && typeof body === 'object' ? body : {}) as { alertId?: unknown; notes?: unknown };
    if (typeof b.alertId !== 'string') return { ok: false, error: 'expected { alertId: string, notes?: string }' };
    if (b.notes !== undefined && typeof b.notes !== 'string') return { ok: false, error: 'notes must be a string' };
    // Resolved lazily: the alert commands depend on the cameras, which publish through this gateway.
    let commands: AlertCommands;
    try {
      commands = this.moduleRef.get(AlertCommands, { strict: false });
    } catch {
      return { ok: false, error: 'alerts are not available in this process' };
    }
    try {
      const r = await commands.acknowledge(b.alertId, user, b.notes);
      return r.ok ? { ok: true } : { ok: false, error: r.error };
    } catch (err) {
      this.logger.error(`acknowledge_alert failed: ${String(err)}`);
      return { ok: false, error: 'internal error' };
    }
  }

  /** Every connected client gets every alert change. */
  override publishAlert(event: AlertLiveEvent): void {
    this.server?.emit(WsEvent.Alert, event);
  }

  /** Recordings: every connected client (the console shows running recordings and the disk warning everywhere). */
  override publishRecordingStatus(event: RecordingStatusEvent): void {
    this.server?.emit(RecordingWsEvent.RecordingStatus, event);
  }

  override publishRecordingStorage(event: RecordingStorageEvent): void {
    this.server?.emit(RecordingWsEvent.RecordingStorage, event);
  }

  publishMetrics(event: MetricsUpdateEvent): void {
    this.server?.to(metricsRoom(event.cameraId)).emit(WsEvent.MetricsUpdate, event);
  }

  publishCameraStatus(event: CameraStatusEvent): void {
    this.server?.to(metricsRoom(event.cameraId)).emit(WsEvent.CameraStatus, event);
  }

  publishFrame(event: LiveFrameEvent): void {
    this.server?.to(framesRoom(event.cameraId)).volatile.emit(WsEvent.Frame, event);
  }

  wantsFrames(cameraId: string): boolean {
    return (this.server?.adapter.rooms.get(framesRoom(cameraId))?.size ?? 0) > 0;
  }
}
