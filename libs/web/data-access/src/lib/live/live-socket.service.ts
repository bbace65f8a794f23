import { DestroyRef, Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import {
  type AlertCommandAck,
  type AlertLiveEvent,
  type CameraStatusEvent,
  type ClientToServerEvents,
  type LiveFrameEvent,
  type MetricsUpdateEvent,
  RecordingWsEvent,
  type RecordingStatusEvent,
  type RecordingStorageEvent,
  type ReportProgressEvent,
  type ServerToClientEvents,
  type SubscribeAck,
  WsEvent,
} from '@crowdsafe/contracts';
import { type Observable, Subject } from 'rxjs';
import { type Socket, io } from 'socket.io-client';
import { AuthService } from '../auth/auth.service';
import { LIVE_SOCKET_OPTIONS } from './live-socket.options';

/** `idle`: never asked to connect; `reconnecting`: lost (or never got) the connection and retrying with backoff. */
export type LiveConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export interface LiveMetrics {
  event: MetricsUpdateEvent;
  /** Client clock (Date.now()) when the event arrived: ages are computed from this, never from server time. */
  receivedAt: number;
}

export interface LiveCameraStatus {
  event: CameraStatusEvent;
  receivedAt: number;
}

/** A live frame with its JPEG normalised to an ArrayBuffer-backed view. */
export interface LiveFrame extends LiveFrameEvent {
  jpeg: ArrayBuffer | Uint8Array<ArrayBuffer>;
  receivedAt: number;
}

type LiveSocketIo = Socket<ServerToClientEvents, ClientToServerEvents>;
type ById<T> = Readonly<Record<string, T>>;

/**
 * The single socket.io connection to the live gateway (namespace `/live` on the page's origin, websocket only).
 *
 * - `subscribe(cameraId)` / `watchFrames(cameraId)` are reference counted and return a release function; the set of
 *   rooms is re-sent after every (re)connect, so callers never deal with reconnects.
 * - Reconnects with exponential backoff and jitter (socket.io manager), plus a heartbeat watchdog (see
 *   `LiveSocketOptions.heartbeatMs`) that also recovers from server-side disconnects.
 * - Everything is exposed as signals keyed by camera id; ages must be computed from `receivedAt`.
 */
@Injectable({ providedIn: 'root' })
export class LiveSocket {
  private readonly opts = inject(LIVE_SOCKET_OPTIONS);
  private readonly auth = inject(AuthService);
  private readonly alertSubject = new Subject<AlertLiveEvent>();
  private readonly recordingSubject = new Subject<RecordingStatusEvent>();
  private readonly storageSubject = new Subject<RecordingStorageEvent>();
  /** The token the current connection was opened with (a refresh makes it reconnect with the new one). */
  private connectedToken: string | null = null;
  /** True while we close the socket on purpose (re-authentication, logout): no manual retry then. */
  private closingOnPurpose = false;
  private authRefreshPending = false;
  /** Last token the session effect saw (undefined before its first run). */
  private seenToken: string | null | undefined = undefined;

  private socket: LiveSocketIo | null = null;
  private readonly rooms = new Map<string, number>();
  private readonly watched = new Map<string, number>();
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private manualRetries = 0;
  private lastInboundAt = 0;
  private everConnected = false;
  /**
   * Room commands per camera, sent one at a time (the next once the server acknowledged the previous): the server
   * handles events concurrently, so `watch_frames false` + `unsubscribe` + `subscribe` + `watch_frames true` sent in
   * one burst (leaving one page for another) could otherwise be applied out of order and leave the rooms.
   */
  private commandChains = new Map<string, Promise<void>>();
  /** Bumped on every `connect`: queued commands of an older connection are dropped (the re-join covers them). */
  private connectionEpoch = 0;

  private readonly _state = signal<LiveConnectionState>('idle');
  private readonly _lastError = signal<string | null>(null);
  private readonly _reconnects = signal(0);
  private readonly _metrics = signal<ById<LiveMetrics>>({});
  private readonly _frames = signal<ById<LiveFrame>>({});
  private readonly _statuses = signal<ById<LiveCameraStatus>>({});

  readonly state = this._state.asReadonly();
  readonly connected = computed(() => this._state() === 'connected');
  /** Last connection / subscription problem, cleared on a successful (re)connect. */
  readonly lastError = this._lastError.asReadonly();
  /** Successful reconnects since start (not counting the first connect). */
  readonly reconnects = this._reconnects.asReadonly();
  /** Latest `metrics_update` per camera id. */
  readonly metrics = this._metrics.asReadonly();
  /** Latest `frame` per camera id (only for watched cameras). */
  readonly frames = this._frames.asReadonly();
  /** Latest `camera_status` per camera id. */
  readonly statuses = this._statuses.asReadonly();

  /** Every `alert` event (lifecycle change of any alert; broadcast to every connected client). */
  readonly alerts$: Observable<AlertLiveEvent> = this.alertSubject.asObservable();
  /** `recording_status` (every client): recordings started, stopping, completed, failed, deleted. */
  readonly recordings$: Observable<RecordingStatusEvent> = this.recordingSubject.asObservable();
  /** `recording_storage`: the recordings disk warning. */
  readonly recordingStorage$: Observable<RecordingStorageEvent> = this.storageSubject.asObservable();
  private readonly reportSubject = new Subject<ReportProgressEvent>();
  /** Progress of report jobs (`report_progress`, broadcast; the Reports page filters by id). */
  readonly reportProgress$: Observable<ReportProgressEvent> = this.reportSubject.asObservable();

  constructor() {
    inject(DestroyRef).onDestroy(() => this.disconnect());
    // Authentication: connect only with a session; a refreshed token reconnects (rooms are re-joined on `connect`);
    // losing the session closes the socket but keeps the rooms for the next sign-in.
    effect(() => {
      const loggedIn = this.auth.isLoggedIn();
      const token = this.auth.token();
      untracked(() => this.onSessionChange(loggedIn, token));
    });
  }

  /** Acknowledges an alert over the socket (operator/admin). Resolves with the server's answer, or a timeout. */
  acknowledgeAlert(alertId: string, notes?: string, timeoutMs = 10_000): Promise<AlertCommandAck> {
    const socket = this.socket;
    if (!socket?.connected) return Promise.resolve({ ok: false, error: 'no live connection' });
    return new Promise((resolve) => {
      let done = false;
      const finish = (ack: AlertCommandAck) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(ack);
      };
      const timer = setTimeout(() => finish({ ok: false, error: 'the server did not answer in time' }), timeoutMs);
      socket.emit(WsEvent.AcknowledgeAlert, notes ? { alertId, notes } : { alertId }, (ack) =>
        finish(ack ?? { ok: false, error: 'no answer' }),
      );
    });
  }

  private onSessionChange(loggedIn: boolean, token: string | null): void {
    const first = this.seenToken === undefined;
    const changed = token !== this.seenToken;
    this.seenToken = token;
    const socket = this.socket;
    if (!socket) return;
    if (!loggedIn) {
      this.closeOnPurpose(socket);
      this._state.set('idle');
      return;
    }
    if (!socket.connected && !socket.active) {
      this._state.set('connecting');
      socket.connect();
      return;
    }
    // A new token (refresh, new sign-in) that the open connection was not made with: reconnect with it.
    if (changed && !first && token !== this.connectedToken) {
      this.closeOnPurpose(socket);
      this._state.set('connecting');
      socket.connect();
    }
  }

  private closeOnPurpose(socket: LiveSocketIo): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (!socket.connected && !socket.active) return;
    this.closingOnPurpose = true;
    socket.disconnect();
    this.closingOnPurpose = false;
  }

  /** The server refused the handshake token: refresh once (shared) and let the token effect reconnect. */
  private onUnauthorized(): void {
    if (this.authRefreshPending) return;
    this.authRefreshPending = true;
    this.auth.refresh().subscribe({
      // The new token reaches the session effect, which reconnects; the heartbeat retries if it did not change.
      next: () => (this.authRefreshPending = false),
      error: (err: unknown) => {
        this.authRefreshPending = false;
        const status = (err as { status?: number } | null)?.status;
        if (status === 0) this.scheduleManualRetry('unauthorized (cannot refresh the session: server unreachable)');
        else this.auth.sessionLost('Your session ended; please sign in again');
      },
    });
  }

  /** Opens the connection if not open yet (idempotent). */
  connect(): void {
    if (this.socket) {
      if (!this.socket.connected && !this.socket.active && this.auth.isLoggedIn()) this.socket.connect();
      return;
    }
    const origin = this.opts.origin ?? globalThis.location?.origin ?? '';
    const socket: LiveSocketIo = io(`${origin}${this.opts.namespace}`, {
      path: this.opts.path,
      transports: ['websocket'],
      reconnection: true,
      reconnectionAttempts: Infinity,
      reconnectionDelay: this.opts.reconnectDelayMs,
      reconnectionDelayMax: this.opts.reconnectDelayMaxMs,
      randomizationFactor: 0.5,
      timeout: this.opts.connectTimeoutMs,
      autoConnect: false,
      // Called on every (re)connect attempt, so reconnects always use the current access token.
      auth: (cb: (data: object) => void) => {
        this.connectedToken = this.auth.token();
        cb({ token: this.connectedToken ?? '' });
      },
    });
    this.socket = socket;
    this.wire(socket);
    if (this.auth.isLoggedIn()) {
      this._state.set('connecting');
      socket.connect();
    }
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.opts.heartbeatMs);
  }

  /** Closes the connection and forgets all rooms. */
  disconnect(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.heartbeatTimer = this.retryTimer = null;
    this.socket?.removeAllListeners();
    this.socket?.io.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.rooms.clear();
    this.watched.clear();
    this._state.set('disconnected');
  }

  /** Joins the camera's room (metrics_update + camera_status). Returns the release function. */
  subscribe(cameraId: string): () => void {
    this.connect();
    if (this.acquire(this.rooms, cameraId)) this.emitSubscribe(cameraId);
    return once(() => {
      if (!this.release(this.rooms, cameraId)) return;
      // The server's `unsubscribe` also leaves the frames room: keep it while frames are still watched.
      if (!this.watched.has(cameraId)) this.emitUnsubscribe(cameraId);
      this.forget(cameraId, { metrics: true, frames: !this.watched.has(cameraId) });
    });
  }

  /** Starts the camera's frame stream (`frame` events). Returns the release function. */
  watchFrames(cameraId: string): () => void {
    this.connect();
    if (this.acquire(this.watched, cameraId)) this.emitWatch(cameraId, true);
    return once(() => {
      if (!this.release(this.watched, cameraId)) return;
      this.emitWatch(cameraId, false);
      if (!this.rooms.has(cameraId)) this.emitUnsubscribe(cameraId);
      this.forget(cameraId, { metrics: false, frames: true });
    });
  }

  // --- connection handling -------------------------------------------------------------------------------------

  private wire(socket: LiveSocketIo): void {
    const seen = () => (this.lastInboundAt = Date.now());
    socket.io.on('ping', seen);
    socket.io.on('packet', seen);
    socket.io.on('reconnect_attempt', () => {
      if (this._state() !== 'connected') this._state.set('reconnecting');
    });

    socket.on('connect', () => {
      seen();
      this.manualRetries = 0;
      this._lastError.set(null);
      this._state.set('connected');
      this.connectionEpoch++;
      this.commandChains = new Map();
      if (this.everConnected) this._reconnects.update((n) => n + 1);
      this.everConnected = true;
      // Rooms do not survive a reconnect (new server-side socket): join them all again.
      for (const id of this.rooms.keys()) this.emitSubscribe(id);
      for (const id of this.watched.keys()) this.emitWatch(id, true);
    });

    socket.on('disconnect', (reason) => {
      if (this.closingOnPurpose) return;
      this._state.set('reconnecting');
      // socket.io does not retry by itself after a server-side disconnect: retry with our own backoff.
      if (!socket.active) this.scheduleManualRetry(`disconnected by the server (${reason})`);
    });

    socket.on('connect_error', (err) => {
      this._lastError.set(err.message || 'connection failed');
      this._state.set('reconnecting');
      if (/unauthori[sz]ed/i.test(err.message ?? '') && this.auth.status() === 'authenticated') {
        this.onUnauthorized();
        return;
      }
      if (!socket.active) this.scheduleManualRetry(err.message);
    });

    socket.on(WsEvent.Alert, (event) => {
      if (!event || typeof event !== 'object' || !event.alert || typeof event.alert.id !== 'string') return;
      this.alertSubject.next(event);
    });

    socket.on(RecordingWsEvent.RecordingStatus, (event) => {
      if (event && typeof event.recording_id === 'string') this.recordingSubject.next(event);
    });
    socket.on(RecordingWsEvent.RecordingStorage, (event) => {
      if (event && typeof event.usedPercent === 'number') this.storageSubject.next(event);
    });
    socket.on('report_progress', (event) => {
      if (!event || typeof event.id !== 'string' || typeof event.progress !== 'number') return;
      this.reportSubject.next(event);
    });

    socket.on(WsEvent.MetricsUpdate, (event) => {
      if (!event || typeof event.cameraId !== 'string') return;
      const entry: LiveMetrics = { event, receivedAt: Date.now() };
      this._metrics.update((m) => ({ ...m, [event.cameraId]: entry }));
    });

    socket.on(WsEvent.CameraStatus, (event) => {
      if (!event || typeof event.cameraId !== 'string') return;
      const entry: LiveCameraStatus = { event, receivedAt: Date.now() };
      this._statuses.update((m) => ({ ...m, [event.cameraId]: entry }));
    });

    socket.on(WsEvent.Frame, (event) => {
      if (!event || typeof event.cameraId !== 'string' || !this.watched.has(event.cameraId)) return;
      const jpeg = toJpegBytes(event.jpeg);
      if (!jpeg) return;
      const frame: LiveFrame = { ...event, jpeg, detections: event.detections ?? [], receivedAt: Date.now() };
      this._frames.update((m) => ({ ...m, [event.cameraId]: frame }));
    });
  }

  private heartbeat(): void {
    const socket = this.socket;
    if (!socket) return;
    if (socket.connected) {
      if (Date.now() - this.lastInboundAt > this.opts.heartbeatMs) {
        this._lastError.set(`no data from the server for ${Math.round(this.opts.heartbeatMs / 1000)} s`);
        this._state.set('reconnecting');
        // Closing the transport makes the manager reconnect with backoff (and re-join rooms on `connect`).
        socket.io.engine?.close();
      }
    } else if (!socket.active && !this.retryTimer && this.auth.isLoggedIn() && !this.authRefreshPending) {
      socket.connect();
    }
  }

  private scheduleManualRetry(reason: string): void {
    if (this.retryTimer || !this.socket) return;
    this._lastError.set(reason);
    const base = Math.min(this.opts.reconnectDelayMaxMs, this.opts.reconnectDelayMs * 2 ** this.manualRetries++);
    const delay = base * (0.5 + Math.random());
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.socket && !this.socket.connected && !this.socket.active && this.auth.isLoggedIn()) this.socket.connect();
    }, delay);
  }

  // --- rooms ---------------------------------------------------------------------------------------------------

  /** Returns true when this was the first reference. */
  private acquire(refs: Map<string, number>, id: string): boolean {
    const n = refs.get(id) ?? 0;
    refs.set(id, n + 1);
    return n === 0;
  }

  /** Returns true when this was the last reference. */
  private release(refs: Map<string, number>, id: string): boolean {
    const n = (refs.get(id) ?? 1) - 1;
    if (n > 0) {
      refs.set(id, n);
      return false;
    }
    refs.delete(id);
    return true;
  }

  private forget(id: string, what: { metrics: boolean; frames: boolean }): void {
    const drop = <T>(m: ById<T>): ById<T> => {
      if (!(id in m)) return m;
      const next = { ...m };
      delete next[id];
      return next;
    };
    if (what.metrics) {
      this._metrics.update(drop);
      this._statuses.update(drop);
    }
    if (what.frames) this._frames.update(drop);
  }

  // Emits only while connected: socket.io would otherwise buffer them and replay them next to the re-join on
  // `connect`. Whatever is not sent now is sent by the `connect` handler.
  private emitSubscribe(cameraId: string): void {
    this.roomCommand(cameraId, 'subscribe', (s, done) => s.emit(WsEvent.Subscribe, { cameraId }, done));
  }

  private emitUnsubscribe(cameraId: string): void {
    this.roomCommand(cameraId, 'unsubscribe', (s, done) => s.emit(WsEvent.Unsubscribe, { cameraId }, done));
  }

  private emitWatch(cameraId: string, enabled: boolean): void {
    this.roomCommand(cameraId, 'watch_frames', (s, done) => s.emit(WsEvent.WatchFrames, { cameraId, enabled }, done));
  }

  /** Queues a room command behind the camera's previous one (see `commandChains`); waits for its ack or a timeout. */
  private roomCommand(cameraId: string, what: string, send: (socket: LiveSocketIo, done: (ack?: SubscribeAck) => void) => void): void {
    const socket = this.socket;
    if (!socket?.connected) return;
    const epoch = this.connectionEpoch;
    const chains = this.commandChains;
    const run = () =>
      new Promise<void>((resolve) => {
        // A reconnect happened meanwhile: the `connect` handler re-sent the current rooms already.
        if (this.socket !== socket || !socket.connected || this.connectionEpoch !== epoch) return resolve();
        // No ack (refused by the access guard, connection lost): go on after the timeout.
        const timer = setTimeout(resolve, this.opts.connectTimeoutMs);
        send(socket, (ack) => {
          clearTimeout(timer);
          this.onAck(what, cameraId, ack);
          resolve();
        });
      });
    const next = (chains.get(cameraId) ?? Promise.resolve()).then(run);
    chains.set(cameraId, next);
    void next.then(() => {
      if (chains.get(cameraId) === next) chains.delete(cameraId);
    });
  }

  private onAck(what: string, cameraId: string, ack: SubscribeAck | undefined): void {
    if (ack && ack.ok === false) this._lastError.set(`${what} ${cameraId} refused: ${ack.error ?? 'unknown reason'}`);
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

/** socket.io delivers binary as ArrayBuffer in browsers; accept any view too, copying only when needed. */
function toJpegBytes(raw: unknown): ArrayBuffer | Uint8Array<ArrayBuffer> | null {
  if (raw instanceof ArrayBuffer) return raw;
  if (ArrayBuffer.isView(raw)) {
    const view = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    return view.buffer instanceof ArrayBuffer ? (view as Uint8Array<ArrayBuffer>) : new Uint8Array(view);
  }
  return null;
}
