// Pure mappings between the engine's alerts, the alerts table and the API / `alert` event shape.
import type { AlertChannel, AlertEventKind, AlertLiveEvent, AlertView } from '@crowdsafe/contracts';
import type { EngineAlert, EngineAlertEvent } from '@crowdsafe/server-core';
import type { AlertPatch, AlertRecord, JsonObject } from '@crowdsafe/server-database';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuidLike = (v: unknown): v is string => typeof v === 'string' && UUID_RE.test(v);

const iso = (v: Date | number | null | undefined): string | null => (v === null || v === undefined ? null : new Date(v).toISOString());

/** Trigger to acknowledgement, ms (null until acknowledged). */
export function responseTimeMs(createdAt: Date | number, acknowledgedAt: Date | number | null): number | null {
  if (acknowledgedAt === null) return null;
  const ms = new Date(acknowledgedAt).getTime() - new Date(createdAt).getTime();
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

/** An alerts row as the API shows it. */
export function viewOfRecord(r: AlertRecord): AlertView {
  return {
    id: r.id,
    cameraId: r.cameraId,
    condition: r.condition,
    level: r.level,
    status: r.status,
    message: r.message,
    metricsSnapshot: (r.metricsSnapshot ?? {}) as AlertView['metricsSnapshot'],
    channelsNotified: [...(r.channelsNotified ?? [])],
    escalationLevel: r.escalationLevel,
    acknowledgedBy: r.acknowledgedBy,
    acknowledgedAt: iso(r.acknowledgedAt),
    responseTimeMs: responseTimeMs(r.createdAt, r.acknowledgedAt),
    resolvedBy: r.resolvedBy,
    resolvedAt: iso(r.resolvedAt),
    notes: r.notes,
    hasSnapshot: !!r.snapshotPath,
    createdAt: iso(r.createdAt) as string,
    updatedAt: iso(r.updatedAt) as string,
  };
}

/**
 * The engine's alert as the API shows it. People are users-table ids (the engine's labels are kept only when they
 * are ids); `row` supplies what only the database knows (channels reached, snapshot).
 */
export function viewOfEngine(a: EngineAlert, row?: Pick<AlertRecord, 'channelsNotified' | 'snapshotPath'> | null): AlertView {
  return {
    id: a.id,
    cameraId: a.cameraId,
    condition: a.condition,
    level: a.level,
    status: a.status,
    message: a.message,
    metricsSnapshot: { ...a.metricsSnapshot },
    channelsNotified: row ? [...row.channelsNotified] : (['dashboard'] as AlertChannel[]),
    escalationLevel: a.escalationLevel,
    acknowledgedBy: isUuidLike(a.acknowledgedBy) ? a.acknowledgedBy : null,
    acknowledgedAt: iso(a.acknowledgedAt),
    responseTimeMs: responseTimeMs(a.createdAt, a.acknowledgedAt),
    resolvedBy: isUuidLike(a.resolvedBy) ? a.resolvedBy : null,
    resolvedAt: iso(a.resolvedAt),
    notes: a.notes,
    hasSnapshot: !!row?.snapshotPath,
    createdAt: iso(a.createdAt) as string,
    updatedAt: iso(a.updatedAt) as string,
  };
}

/** The row update of a non-'opened' event ('updated', 'escalated', 'acknowledged', 'resolved', 'all_clear'). */
export function patchOfEvent(ev: EngineAlertEvent, actorId?: string | null): AlertPatch {
  const a = ev.alert;
  const actor = isUuidLike(actorId) ? actorId : null;
  const patch: AlertPatch = {
    level: a.level,
    status: a.status,
    message: a.message,
    metricsSnapshot: a.metricsSnapshot as JsonObject,
    escalationLevel: a.escalationLevel,
    acknowledgedAt: a.acknowledgedAt === null ? null : new Date(a.acknowledgedAt),
    resolvedAt: a.resolvedAt === null ? null : new Date(a.resolvedAt),
    notes: a.notes,
    updatedAt: new Date(a.updatedAt),
  };
  if (ev.type === 'acknowledged') patch.acknowledgedBy = actor;
  else if (a.acknowledgedAt === null) patch.acknowledgedBy = null; // escalation re-opened it
  if (ev.type === 'resolved') patch.resolvedBy = actor;
  else if (ev.type === 'all_clear') patch.resolvedBy = null; // the system
  return patch;
}

export function liveEventOf(
  type: AlertEventKind,
  at: number,
  view: AlertView,
  currentLevel: AlertView['level'],
  channels: AlertChannel[],
  previousLevel?: AlertView['level'],
): AlertLiveEvent {
  return { type, at: new Date(at).toISOString(), alert: view, currentLevel, channels: [...channels], ...(previousLevel ? { previousLevel } : {}) };
}

/** Appends a note on its own line (trimmed; empty = unchanged). */
export function appendNote(existing: string | null, note: string | undefined | null): string | null {
  const n = note?.trim();
  if (!n) return existing;
  return existing ? `${existing}\n${n}` : n;
}
