import { Inject, Injectable, Logger, type OnModuleInit, Optional } from '@nestjs/common';
import { CameraSupervisor } from '@crowdsafe/server-cameras';
import { AlertCommands, AlertCommandsSlot, type AlertCommandResult, type AuthUser, ClusterBus, type ClusterRequest } from '@crowdsafe/server-core';
import { AlertRepository, type AlertRecord } from '@crowdsafe/server-database';
import { appendNote, isUuidLike, viewOfRecord } from './alert-view';
import { AlertsService } from './alerts.service';

export const ALERT_NOTES_MAX = 2000;

type Kind = 'acknowledge' | 'resolve';

/**
 * Acknowledge / resolve (REST and the WebSocket `acknowledge_alert`). A running camera's engine decides (the state
 * machine stays the single truth; its event is persisted and broadcast like any other). When the camera runs in
 * another process (distributed mode: an api replica without cameras), the command is sent to that process over the
 * ClusterBus and its engine decides. Only when no process runs the camera (stopped, or the row predates every
 * engine) are the same rules applied to the row directly (compare-and-set on the status) and the `alert` event
 * broadcast from here.
 */
@Injectable()
export class AlertCommandsService extends AlertCommands implements OnModuleInit {
  private readonly logger = new Logger('Alerts');

  constructor(
    private readonly alerts: AlertRepository,
    private readonly service: AlertsService,
    @Optional() @Inject(CameraSupervisor) private readonly supervisor: CameraSupervisor | null = null,
    @Optional() @Inject(ClusterBus) private readonly bus: ClusterBus | null = null,
    @Optional() @Inject(AlertCommandsSlot) private readonly slot: AlertCommandsSlot | null = null,
  ) {
    super();
  }

  /** Answers other processes' commands for the cameras whose engines run here; the WebSocket gateway's commands too. */
  onModuleInit(): void {
    this.slot?.fill(this);
    this.bus?.handle('alert-command', async (req) => this.onEngine(req));
  }

  acknowledge(alertId: string, user: AuthUser | undefined, notes?: string): Promise<AlertCommandResult> {
    return this.run('acknowledge', alertId, user, notes);
  }

  resolve(alertId: string, user: AuthUser | undefined, notes?: string): Promise<AlertCommandResult> {
    return this.run('resolve', alertId, user, notes);
  }

  private async run(kind: Kind, alertId: unknown, user: AuthUser | undefined, notes: unknown): Promise<AlertCommandResult> {
    if (!isUuidLike(alertId)) return { ok: false, status: 400, error: 'alertId must be a UUID' };
    if (notes !== undefined && notes !== null && typeof notes !== 'string') return { ok: false, status: 400, error: 'notes must be a string' };
    if (typeof notes === 'string' && notes.length > ALERT_NOTES_MAX) return { ok: false, status: 400, error: `notes must be at most ${ALERT_NOTES_MAX} characters` };
    const note = typeof notes === 'string' ? notes : undefined;
    const row = await this.alerts.findById(alertId);
    if (!row) return { ok: false, status: 404, error: `Alert ${alertId} not found` };
    const conflict = this.conflict(kind, row);
    if (conflict) return conflict;

    const actorId = user?.id && isUuidLike(user.id) ? user.id : null;
    const req: ClusterRequest<'alert-command'> = { kind, alertId, cameraId: row.cameraId, actorName: actorId ?? user?.username ?? 'anonymous', actorId, notes: note };
    const local = await this.onEngine(req);
    if (local) return local;
    if (!this.supervisor?.runtime(row.cameraId)) {
      const reply = await this.bus?.request('alert-command', req);
      if (reply?.answers[0]) return reply.answers[0];
      // A process that may run the camera did not answer: writing the row now could contradict its engine.
      if (reply && !reply.complete) return { ok: false, status: 503, error: 'The process running this camera did not answer; try again' };
    }
    // No engine knows it (camera not running anywhere, or the row predates its engine): same rules on the row.
    return this.applyToRow(kind, row, actorId, note);
  }

  /** The command on this process's engine of the camera; null when no engine here knows the alert. */
  private async onEngine(req: ClusterRequest<'alert-command'>): Promise<AlertCommandResult | null> {
    const runtime = this.supervisor?.runtime(req.cameraId);
    const res = runtime?.alertAction(req.kind, req.alertId, req.actorName, req.actorId, req.notes);
    if (!res) return null;
    if (res.ok) {
      await res.persisted;
      return { ok: true, alertId: req.alertId };
    }
    if (res.code === 'not_found') return null;
    const status = res.code === 'already_acknowledged' || res.code === 'already_resolved' ? 409 : 400;
    return { ok: false, status, error: res.message };
  }

  private conflict(kind: Kind, row: AlertRecord): AlertCommandResult | null {
    if (row.status === 'resolved') return { ok: false, status: 409, error: `Alert ${row.id} is already resolved` };
    if (kind === 'acknowledge' && row.status === 'acknowledged') return { ok: false, status: 409, error: `Alert ${row.id} is already acknowledged` };
    return null;
  }

  private async applyToRow(kind: Kind, row: AlertRecord, actorId: string | null, note: string | undefined): Promise<AlertCommandResult> {
    const now = new Date();
    const notes = appendNote(row.notes, note);
    const updated =
      kind === 'acknowledge'
        ? await this.alerts.transition(row.id, ['open'], { status: 'acknowledged', acknowledgedBy: actorId, acknowledgedAt: now, notes, updatedAt: now })
        : await this.alerts.transition(row.id, ['open', 'acknowledged'], { status: 'resolved', resolvedBy: actorId, resolvedAt: now, notes, updatedAt: now });
    if (!updated) {
      const fresh = await this.alerts.findById(row.id);
      return (fresh && this.conflict(kind, fresh)) ?? { ok: false, status: 409, error: `Alert ${row.id} changed meanwhile; try again` };
    }
    this.logger.log(`alert ${row.id} ${kind === 'acknowledge' ? 'acknowledged' : 'resolved'} (no running engine for camera ${row.cameraId})`);
    this.service.publish(kind === 'acknowledge' ? 'acknowledged' : 'resolved', now.getTime(), viewOfRecord(updated), null);
    return { ok: true, alertId: row.id };
  }
}
