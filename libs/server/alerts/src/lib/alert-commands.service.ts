import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { CameraSupervisor } from '@crowdsafe/server-cameras';
import { AlertCommands, type AlertCommandResult, type AuthUser } from '@crowdsafe/server-core';
import { AlertRepository, type AlertRecord } from '@crowdsafe/server-database';
import { appendNote, isUuidLike, viewOfRecord } from './alert-view';
import { AlertsService } from './alerts.service';

export const ALERT_NOTES_MAX = 2000;

type Kind = 'acknowledge' | 'resolve';

/**
 * Acknowledge / resolve (REST and the WebSocket `acknowledge_alert`). A running camera's engine decides (the state
 * machine stays the single truth; its event is persisted and broadcast like any other); for a camera not running
 * in this process the same rules are applied to the row directly (compare-and-set on the status) and the `alert`
 * event is broadcast from here.
 */
@Injectable()
export class AlertCommandsService extends AlertCommands {
  private readonly logger = new Logger('Alerts');

  constructor(
    private readonly alerts: AlertRepository,
    private readonly service: AlertsService,
    @Optional() @Inject(CameraSupervisor) private readonly supervisor: CameraSupervisor | null = null,
  ) {
    super();
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
    const runtime = this.supervisor?.runtime(row.cameraId);
    const res = runtime?.alertAction(kind, alertId, actorId ?? user?.username ?? 'anonymous', actorId, note);
    if (res?.ok) {
      await res.persisted;
      return { ok: true, alertId };
    }
    if (res && !res.ok && res.code !== 'not_found') {
      const status = res.code === 'already_acknowledged' || res.code === 'already_resolved' ? 409 : 400;
      return { ok: false, status, error: res.message };
    }
    // No engine knows it (camera not running here, or the row predates this engine): same rules on the row.
    return this.applyToRow(kind, row, actorId, note);
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
