import { Inject, Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ROUTING_TABLE, routeAlert, type AlertRecipient } from '@crowdsafe/alerting';
import type { AlertEventKind } from '@crowdsafe/contracts';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import {
  AlertEventSink,
  AlertNotifier,
  LiveEventsPublisher,
  type AlertEventContext,
  type AlertNotification,
  type EngineAlertEvent,
} from '@crowdsafe/server-core';
import {
  AlertRecipientRepository,
  AlertRepository,
  CameraRepository,
  DuplicateError,
  isForeignKeyViolation,
  type AlertRecord,
  type JsonObject,
} from '@crowdsafe/server-database';
import { liveEventOf, patchOfEvent, viewOfEngine, viewOfRecord } from './alert-view';
import { SnapshotStore } from './snapshot-store';

/** Events waiting per camera before 'updated' ones (dashboard-only refreshes) are dropped. */
const MAX_PENDING_PER_CAMERA = 200;
const RECIPIENTS_TTL_MS = 30_000;
const PRUNE_EVERY_MS = 3_600_000;

export interface AlertsServiceStats {
  handled: number;
  dbFailures: number;
  snapshotFailures: number;
  notifyFailures: number;
  dropped: number;
  published: number;
}

/**
 * The alert sink of every camera runtime: persists each engine event (insert on opened, update otherwise), saves
 * the annotated snapshot of the triggering frame (bounded per camera), publishes the WebSocket `alert` event to
 * everyone and, for opened / escalated / all_clear with recipients routed by level (spec 4.4), hands the
 * notification to the AlertNotifier. Events of one camera are processed in order; failures are logged and
 * counted, never thrown at the camera pipeline.
 *
 * Boot (embedded mode): alerts left non-resolved by a previous run are resolved with the note "server restarted" (the
 * engines start empty, so they could never be acknowledged through them and would block new alerts of the same
 * condition). In distributed mode the process that takes a camera's lease continues its active alerts instead.
 */
@Injectable()
export class AlertsService extends AlertEventSink implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Alerts');
  readonly snapshots: SnapshotStore;
  private readonly chains = new Map<string, { tail: Promise<void>; pending: number }>();
  private recipientsCache: { at: number; rows: AlertRecipient[] } | null = null;
  private warnedNoNotifier = false;
  private pruneTimer?: NodeJS.Timeout;
  /** Features following persisted alert events (recordings' automatic clips); see onEvent. */
  private readonly eventListeners = new Set<(event: EngineAlertEvent) => void>();
  private readonly counters: AlertsServiceStats = { handled: 0, dbFailures: 0, snapshotFailures: 0, notifyFailures: 0, dropped: 0, published: 0 };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly alerts: AlertRepository,
    private readonly recipients: AlertRecipientRepository,
    private readonly cameras: CameraRepository,
    private readonly live: LiveEventsPublisher,
    @Optional() @Inject(AlertNotifier) private readonly notifier: AlertNotifier | null = null,
  ) {
    super();
    const a = config.alerts;
    this.snapshots = new SnapshotStore(a.snapshotsDir, a.snapshotMaxPerCamera, a.snapshotRetentionDays * 86_400_000);
  }

  async onModuleInit(): Promise<void> {
    // Distributed mode: other camera processes may be running their cameras' engines right now, and a camera this
    // process takes over continues its active alerts (CameraSupervisor adopts them), so nothing is swept at boot.
    if (this.config.cameras.enabled && !this.config.queue.redisUrl) {
      const left = await this.alerts.resolveActive(new Date(), 'server restarted');
      if (left.length) this.logger.warn(`resolved ${left.length} alert(s) left open by a previous run (note "server restarted")`);
    }
    void this.snapshots.pruneAll(Date.now()).catch((err: unknown) => this.logger.warn(`snapshot pruning failed: ${String(err)}`));
    this.pruneTimer = setInterval(() => {
      void this.snapshots.pruneAll(Date.now()).catch((err: unknown) => this.logger.warn(`snapshot pruning failed: ${String(err)}`));
    }, PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
  }

  /**
   * Follow alert events once each is persisted (its row exists) and published; returns an unsubscribe function.
   * Listeners run synchronously in the camera's event order and must not throw (errors are logged).
   */
  onEvent(listener: (event: EngineAlertEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  stats(): AlertsServiceStats {
    return { ...this.counters };
  }

  /** Settles when every queued event has been processed (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.chains.size) await Promise.all([...this.chains.values()].map((c) => c.tail));
  }

  handle(event: EngineAlertEvent, context: AlertEventContext = {}): Promise<void> {
    const key = event.alert.cameraId;
    const chain = this.chains.get(key) ?? { tail: Promise.resolve(), pending: 0 };
    if (event.type === 'updated' && chain.pending >= MAX_PENDING_PER_CAMERA) {
      this.counters.dropped++;
      return chain.tail;
    }
    chain.pending++;
    const run = chain.tail.then(() => this.process(event, context)).catch((err: unknown) => this.logger.error(`alert event failed: ${String(err)}`));
    chain.tail = run.finally(() => {
      chain.pending--;
      if (chain.pending === 0 && this.chains.get(key) === chain) this.chains.delete(key);
    });
    this.chains.set(key, chain);
    return chain.tail;
  }

  private async process(ev: EngineAlertEvent, ctx: AlertEventContext): Promise<void> {
    this.counters.handled++;
    const row = await this.persist(ev, ctx);
    this.publish(ev.type, ev.at, viewOfEngine(ev.alert, row), ev);
    if (row) {
      for (const listener of this.eventListeners) {
        try {
          listener(ev);
        } catch (err) {
          this.logger.warn(`alert event listener failed: ${String(err)}`);
        }
      }
    }
    let snapshotPath = row?.snapshotPath ?? null;
    if (row && !snapshotPath && (ev.type === 'opened' || ev.type === 'escalated') && ctx.snapshot) {
      snapshotPath = await this.saveSnapshot(row, ctx.snapshot);
    }
    if (ev.type === 'opened' || ev.type === 'escalated' || ev.type === 'all_clear') await this.notify(ev, snapshotPath);
  }

  // ---- persistence ---------------------------------------------------------------------------------------------

  private async persist(ev: EngineAlertEvent, ctx: AlertEventContext): Promise<AlertRecord | null> {
    try {
      if (ev.type === 'opened') return await this.insert(ev);
      const row = await this.alerts.update(ev.alert.id, patchOfEvent(ev, ctx.actorId));
      if (!row) this.logger.warn(`alert ${ev.alert.id} (${ev.type}) has no row (its insert failed?)`);
      return row;
    } catch (err) {
      this.counters.dbFailures++;
      this.logger.error(`could not store alert ${ev.alert.id} (${ev.type}, camera ${ev.alert.cameraId}): ${String(err)}`);
      return null;
    }
  }

  private async insert(ev: EngineAlertEvent): Promise<AlertRecord | null> {
    const a = ev.alert;
    const row = {
      id: a.id,
      cameraId: a.cameraId,
      level: a.level,
      condition: a.condition,
      status: a.status,
      message: a.message,
      metricsSnapshot: a.metricsSnapshot as JsonObject,
      channelsNotified: ['dashboard' as const],
      escalationLevel: a.escalationLevel,
      createdAt: new Date(a.createdAt),
    };
    try {
      return await this.alerts.insert(row);
    } catch (err) {
      if (isForeignKeyViolation(err)) {
        this.logger.warn(`alert for camera ${a.cameraId} not stored: the camera no longer exists`);
        return null;
      }
      if (!(err instanceof DuplicateError)) throw err;
      // A non-resolved row of an earlier engine (camera restarted in this process): this engine is the truth now.
      const stale = await this.alerts.resolveActive(new Date(a.createdAt), 'superseded: the camera restarted and raised it again', a.cameraId, a.condition);
      for (const s of stale) this.publish('resolved', a.createdAt, viewOfRecord(s), null);
      return await this.alerts.insert(row);
    }
  }

  private async saveSnapshot(row: AlertRecord, render: () => Promise<Buffer | null>): Promise<string | null> {
    try {
      const jpeg = await render();
      if (!jpeg) return null;
      // Named by the time it was saved (retention is about disk age, not about when the trigger happened).
      const path = await this.snapshots.save(row.cameraId, row.id, Date.now(), jpeg);
      await this.alerts.update(row.id, { snapshotPath: path });
      return path;
    } catch (err) {
      this.counters.snapshotFailures++;
      this.logger.warn(`could not save the snapshot of alert ${row.id}: ${String(err)}`);
      return null;
    }
  }

  // ---- live events -----------------------------------------------------------------------------------------------

  /** Publishes `alert` to every connected client (never throws). */
  publish(type: AlertEventKind, at: number, view: ReturnType<typeof viewOfRecord>, ev: EngineAlertEvent | null): void {
    try {
      this.live.publishAlert(liveEventOf(type, at, view, ev?.alert.currentLevel ?? view.level, ev?.channels ?? ['dashboard'], ev?.previousLevel));
      this.counters.published++;
    } catch (err) {
      this.logger.warn(`could not publish alert ${view.id}: ${String(err)}`);
    }
  }

  // ---- notifications ---------------------------------------------------------------------------------------------

  /** Active recipients (cached for 30 s; refreshed at once after a change through the API). */
  async activeRecipients(): Promise<AlertRecipient[]> {
    const now = Date.now();
    if (this.recipientsCache && now - this.recipientsCache.at < RECIPIENTS_TTL_MS) return this.recipientsCache.rows;
    const rows = (await this.recipients.listActive()).map((r) => ({ cameraId: r.cameraId, channel: r.channel, destination: r.destination, minLevel: r.minLevel, isActive: r.isActive }));
    this.recipientsCache = { at: now, rows };
    return rows;
  }

  invalidateRecipients(): void {
    this.recipientsCache = null;
  }

  private async notify(ev: EngineAlertEvent, snapshotPath: string | null): Promise<void> {
    try {
      const a = ev.alert;
      // The event's channels are the engine's routing (setting alerts.routing) for this level: route by them.
      const channels = ev.channels.filter((c) => c !== 'dashboard');
      const targets = routeAlert(a.level, a.cameraId, await this.activeRecipients(), { ...ROUTING_TABLE, [a.level]: channels });
      if (!targets.length) return;
      if (!this.notifier) {
        if (!this.warnedNoNotifier) this.logger.warn('no AlertNotifier in this process: alerts reach the dashboard only (email/SMS/push/webhook off)');
        this.warnedNoNotifier = true;
        return;
      }
      const camera = await this.cameras.findById(a.cameraId);
      const n: AlertNotification = {
        alertId: a.id,
        event: ev.type as AlertNotification['event'],
        cameraId: a.cameraId,
        cameraName: camera?.name ?? a.cameraId,
        cameraLocation: camera?.location ?? null,
        level: a.level,
        condition: a.condition,
        message: a.message,
        metrics: { ...a.metricsSnapshot },
        snapshotPath,
        consoleUrl: `${this.config.alerts.publicUrl}/cameras/${a.cameraId}?alert=${a.id}`,
        triggeredAt: ev.at,
        targets,
      };
      await this.notifier.notify(n);
    } catch (err) {
      this.counters.notifyFailures++;
      this.logger.error(`could not hand alert ${ev.alert.id} (${ev.type}) to the notifier: ${String(err)}`);
    }
  }
}
