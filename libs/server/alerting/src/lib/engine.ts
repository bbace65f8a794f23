import type { AlertChannel, RiskLevel } from '@crowdsafe/contracts';
import { levelRank } from './levels';
import { ALERT_CONDITIONS } from './types';
import { channelsForLevel, ROUTING_TABLE, routeAlert, type RoutingTable } from './routing';
import { evaluateConditions } from './triggers';
import type {
  ActionErrorCode,
  ActionResult,
  Alert,
  AlertCondition,
  AlertEvent,
  AlertEventType,
  AlertRecipient,
  MetricsUpdate,
  Trigger,
  TriggerThresholds,
} from './types';

export interface AlertEngineOptions {
  /** After an alert resolves, the same camera+condition opens no new alert for this long unless the level is higher. */
  cooldownMs?: number;
  /** A condition cleared for this long resolves its alert ('all_clear', resolvedBy 'system'). */
  allClearMs?: number;
  /** 'updated' on a value change needs at least this relative change of the condition's key value ... */
  updateRelativeDelta?: number;
  /** ... and at least this long since the last event of the alert (a level change is emitted at once). */
  minUpdateIntervalMs?: number;
  /** How many resolved alert ids are remembered (to answer 'already_resolved'); FIFO. */
  maxResolvedHistory?: number;
  thresholds?: Partial<TriggerThresholds>;
  /** Channels per level (setting `alerts.routing`); default ROUTING_TABLE (spec 4.4). */
  routing?: RoutingTable;
  recipients?: readonly AlertRecipient[];
  /** Alert id factory (e.g. () => randomUUID()); default 'alert-1', 'alert-2', ... */
  newId?: () => string;
}

interface Slot {
  alert: Alert | null;
  /** No new alert before this (ms) unless the level exceeds resolvedLevel. */
  cooldownUntil: number;
  /** When the last alert of this slot resolved (ms; -Infinity = never): a shortened cooldown is re-applied from here. */
  resolvedAt: number;
  resolvedLevel: RiskLevel | null;
  /** First update since which the condition has been clear. */
  clearSince: number | null;
  /** Key value of the last emitted event (for 'updated'). */
  lastKey: number | string | null;
  lastEventAt: number;
}

interface CameraState {
  slots: Map<AlertCondition, Slot>;
  offlineSince: number | null;
  lastAt: number;
}

const DASHBOARD_ONLY: readonly AlertChannel[] = ['dashboard'];

/** Per condition, the snapshot field whose meaningful change makes an 'updated' event. */
const KEY_FIELD: Readonly<Record<AlertCondition, string>> = {
  risk_level: 'score',
  early_warning: 'earlyWarningInS',
  surge: 'surge',
  stagnation: 'density',
  capacity: 'count',
  camera_offline: 'cameraStatus',
  system_error: 'error',
};

function keyValue(t: Trigger): number | string | null {
  const v = t.snapshot[KEY_FIELD[t.condition]];
  return typeof v === 'number' || typeof v === 'string' ? v : null;
}

function changedMeaningfully(prev: number | string | null, next: number | string | null, relDelta: number): boolean {
  if (typeof prev === 'number' && typeof next === 'number') {
    const base = Math.max(Math.abs(prev), 1e-9);
    return Math.abs(next - prev) / base >= relDelta;
  }
  return prev !== next;
}

/**
 * Pure alert lifecycle (spec 4.1 - 4.4): per (camera, condition) none -> open -> acknowledged -> resolved.
 * Feed it metrics updates in time order per camera; it returns the events to persist / notify and does no I/O.
 */
/** The engine's timing, changeable while it runs (settings `alerts.cooldownS` / `alerts.allClearS`). */
export interface AlertTiming {
  cooldownMs: number;
  allClearMs: number;
}

export class AlertEngine {
  private cooldown: number;
  private allClear: number;
  private readonly updateRelativeDelta: number;
  private readonly minUpdateIntervalMs: number;
  private readonly maxResolvedHistory: number;
  private thresholds: Partial<TriggerThresholds>;
  private routing: RoutingTable;
  private readonly newId: () => string;
  private recipients: readonly AlertRecipient[];
  private seq = 0;
  private readonly cameras = new Map<string, CameraState>();
  private readonly alertIndex = new Map<string, { cameraId: string; condition: AlertCondition }>();
  /** Recently resolved alert ids (insertion order = FIFO eviction). */
  private readonly resolvedIds = new Set<string>();

  constructor(options: AlertEngineOptions = {}) {
    this.cooldown = nonNegative(options.cooldownMs, 60_000, 'cooldownMs');
    this.allClear = nonNegative(options.allClearMs, 30_000, 'allClearMs');
    this.updateRelativeDelta = nonNegative(options.updateRelativeDelta, 0.2, 'updateRelativeDelta');
    this.minUpdateIntervalMs = nonNegative(options.minUpdateIntervalMs, 10_000, 'minUpdateIntervalMs');
    this.maxResolvedHistory = nonNegative(options.maxResolvedHistory, 1000, 'maxResolvedHistory');
    this.thresholds = { ...options.thresholds };
    this.routing = options.routing ?? ROUTING_TABLE;
    this.recipients = [...(options.recipients ?? [])];
    this.newId = options.newId ?? (() => `alert-${++this.seq}`);
  }

  setRecipients(recipients: readonly AlertRecipient[]): void {
    this.recipients = [...recipients];
  }

  /**
   * Trigger thresholds changed live (setting `alerts.thresholds`): merged over the current ones, judged from the next
   * update on. A non-finite or negative value throws RangeError and changes nothing.
   */
  setThresholds(thresholds: Partial<TriggerThresholds>): void {
    for (const [k, v] of Object.entries(thresholds)) {
      if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) throw new RangeError(`threshold ${k} must be a finite number >= 0, got ${String(v)}`);
    }
    this.thresholds = { ...this.thresholds, ...thresholds };
  }

  /** The thresholds given so far (omitted ones are DEFAULT_THRESHOLDS). */
  thresholdOverrides(): Partial<TriggerThresholds> {
    return { ...this.thresholds };
  }

  /** Channels per level changed live (setting `alerts.routing`): applies to the next notifying event. */
  setRouting(table: RoutingTable): void {
    this.routing = table;
  }

  /** After an alert resolves, the same camera+condition opens no new alert for this long unless the level is higher. */
  get cooldownMs(): number {
    return this.cooldown;
  }

  /** A condition cleared for this long resolves its alert. */
  get allClearMs(): number {
    return this.allClear;
  }

  timing(): AlertTiming {
    return { cooldownMs: this.cooldown, allClearMs: this.allClear };
  }

  /**
   * Changes the timing live; omitted fields keep their value, a bad value throws RangeError and changes nothing.
   * All-clear: every later update is judged by the new delay (a condition already clear for at least the new delay
   * resolves at its next update). Cooldown: applies to alerts resolved from now on; running cooldowns are cut to
   * the new one when it is shorter (never lengthened, so nothing already allowed to re-alert is suppressed again).
   */
  setTiming(timing: Partial<AlertTiming>): void {
    const cooldown = nonNegative(timing.cooldownMs, this.cooldown, 'cooldownMs');
    const allClear = nonNegative(timing.allClearMs, this.allClear, 'allClearMs');
    if (cooldown < this.cooldown) {
      for (const cam of this.cameras.values()) {
        for (const s of cam.slots.values()) s.cooldownUntil = Math.min(s.cooldownUntil, s.resolvedAt + cooldown);
      }
    }
    this.cooldown = cooldown;
    this.allClear = allClear;
  }

  /** Process one metrics update; returns the events in condition order. Out-of-order updates are ignored. */
  update(u: MetricsUpdate): AlertEvent[] {
    if (!Number.isFinite(u.at) || !u.cameraId) return [];
    let cam = this.cameras.get(u.cameraId);
    if (cam && u.at < cam.lastAt) return [];
    if (!cam) {
      cam = { slots: new Map(), offlineSince: null, lastAt: u.at };
      this.cameras.set(u.cameraId, cam);
    }
    cam.lastAt = u.at;
    if (u.cameraStatus === 'online') cam.offlineSince = null;
    else if ((u.cameraStatus === 'offline' || u.cameraStatus === 'error') && cam.offlineSince === null) cam.offlineSince = u.at;

    const events: AlertEvent[] = [];
    for (const c of evaluateConditions(u, { thresholds: this.thresholds, offlineSince: cam.offlineSince })) {
      const slot = cam.slots.get(c.condition);
      if (c.state === 'triggered') {
        const s = slot ?? this.newSlot();
        if (!slot) cam.slots.set(c.condition, s);
        const ev = this.onTrigger(s, c.trigger);
        if (ev) events.push(ev);
      } else if (c.state === 'clear' && slot?.alert) {
        slot.clearSince ??= u.at;
        if (u.at - slot.clearSince >= this.allClear) events.push(this.close(slot, 'all_clear', 'system', u.at, null));
      }
    }
    this.pruneCamera(u.cameraId, cam, u.at);
    return events;
  }

  /** Operator acknowledges an open alert; records the response time (from the last notification). */
  acknowledge(alertId: string, user: string, at: number, note?: string): ActionResult {
    const found = this.lookup(alertId, user, at);
    if (!found.ok) return found;
    const { alert } = found;
    if (alert.status === 'acknowledged') return fail('already_acknowledged', `Alert ${alertId} is already acknowledged`);
    alert.status = 'acknowledged';
    alert.acknowledgedBy = user;
    alert.acknowledgedAt = at;
    alert.responseTimeMs = at - alert.notifiedAt;
    alert.updatedAt = at;
    appendNote(alert, note);
    return { ok: true, event: this.event('acknowledged', at, alert) };
  }

  /** Operator resolves an open or acknowledged alert; the cooldown starts. */
  resolve(alertId: string, user: string, at: number, note?: string): ActionResult {
    const found = this.lookup(alertId, user, at);
    if (!found.ok) return found;
    return { ok: true, event: this.close(found.slot, 'resolved', user, at, note ?? null) };
  }

  /**
   * Takes over alerts that an earlier engine of the camera left active (another process ran it until it died or
   * handed it over): they go on here — updated, escalated, acknowledged, all-clear — instead of a second alert being
   * opened for the same condition. A condition that already has an alert here keeps it.
   */
  adopt(alerts: readonly Alert[], at: number): number {
    let adopted = 0;
    for (const a of alerts) {
      if (a.status === 'resolved' || !ALERT_CONDITIONS.includes(a.condition) || this.alertIndex.has(a.id)) continue;
      let cam = this.cameras.get(a.cameraId);
      if (!cam) {
        cam = { slots: new Map(), offlineSince: null, lastAt: Number.NEGATIVE_INFINITY };
        this.cameras.set(a.cameraId, cam);
      }
      const slot = cam.slots.get(a.condition) ?? this.newSlot();
      if (slot.alert) continue;
      slot.alert = copy(a);
      slot.lastEventAt = at;
      cam.slots.set(a.condition, slot);
      this.alertIndex.set(a.id, { cameraId: a.cameraId, condition: a.condition });
      adopted++;
    }
    return adopted;
  }

  /** Active (open or acknowledged) alerts, copies; optionally for one camera. */
  activeAlerts(cameraId?: string): Alert[] {
    const out: Alert[] = [];
    for (const [id, cam] of this.cameras) {
      if (cameraId !== undefined && id !== cameraId) continue;
      for (const s of cam.slots.values()) if (s.alert) out.push(copy(s.alert));
    }
    return out;
  }

  getAlert(alertId: string): Alert | null {
    const ref = this.alertIndex.get(alertId);
    const a = ref && this.cameras.get(ref.cameraId)?.slots.get(ref.condition)?.alert;
    return a ? copy(a) : null;
  }

  /** Drop expired cooldowns and idle cameras everywhere (update() already does it for the camera it sees). */
  prune(at: number): void {
    for (const [id, cam] of this.cameras) this.pruneCamera(id, cam, at);
  }

  /** Forget a camera entirely (deleted camera); its active alerts are dropped without events. */
  forgetCamera(cameraId: string): void {
    const cam = this.cameras.get(cameraId);
    if (!cam) return;
    for (const s of cam.slots.values()) if (s.alert) this.alertIndex.delete(s.alert.id);
    this.cameras.delete(cameraId);
  }

  /** Sizes of the internal state (for monitoring and tests). */
  stats(): { cameras: number; slots: number; activeAlerts: number; resolvedIds: number } {
    let slots = 0;
    for (const cam of this.cameras.values()) slots += cam.slots.size;
    return { cameras: this.cameras.size, slots, activeAlerts: this.alertIndex.size, resolvedIds: this.resolvedIds.size };
  }

  // --- internals -------------------------------------------------------------------------------------------------

  private newSlot(): Slot {
    return { alert: null, cooldownUntil: -Infinity, resolvedAt: -Infinity, resolvedLevel: null, clearSince: null, lastKey: null, lastEventAt: -Infinity };
  }

  private onTrigger(slot: Slot, t: Trigger): AlertEvent | null {
    slot.clearSince = null;
    const alert = slot.alert;
    if (!alert) {
      const escalates = slot.resolvedLevel !== null && levelRank(t.level) > levelRank(slot.resolvedLevel);
      if (t.at < slot.cooldownUntil && !escalates) return null; // cooldown: suppressed
      return this.open(slot, t);
    }
    const previousLevel = alert.currentLevel;
    if (levelRank(t.level) > levelRank(alert.level)) {
      const from = alert.level;
      alert.level = t.level;
      alert.escalationLevel += 1;
      alert.notifiedAt = t.at;
      if (alert.status === 'acknowledged') {
        // A higher level needs a fresh acknowledgement.
        alert.status = 'open';
        alert.acknowledgedBy = null;
        alert.acknowledgedAt = null;
        alert.responseTimeMs = null;
      }
      this.apply(slot, alert, t);
      return this.event('escalated', t.at, alert, from, true);
    }
    const levelChanged = t.level !== previousLevel;
    const key = keyValue(t);
    const valueChanged =
      changedMeaningfully(slot.lastKey, key, this.updateRelativeDelta) && t.at - slot.lastEventAt >= this.minUpdateIntervalMs;
    if (!levelChanged && !valueChanged) return null;
    this.apply(slot, alert, t);
    return this.event('updated', t.at, alert, levelChanged ? previousLevel : undefined);
  }

  private open(slot: Slot, t: Trigger): AlertEvent {
    const alert: Alert = {
      id: this.newId(),
      cameraId: t.cameraId,
      condition: t.condition,
      level: t.level,
      currentLevel: t.level,
      status: 'open',
      message: t.message,
      metricsSnapshot: { ...t.snapshot },
      channelsNotified: [],
      escalationLevel: 0,
      acknowledgedBy: null,
      acknowledgedAt: null,
      responseTimeMs: null,
      resolvedBy: null,
      resolvedAt: null,
      notes: null,
      createdAt: t.at,
      updatedAt: t.at,
      notifiedAt: t.at,
    };
    slot.alert = alert;
    slot.lastKey = keyValue(t);
    slot.lastEventAt = t.at;
    this.alertIndex.set(alert.id, { cameraId: t.cameraId, condition: t.condition });
    return this.event('opened', t.at, alert, undefined, true);
  }

  private apply(slot: Slot, alert: Alert, t: Trigger): void {
    alert.currentLevel = t.level;
    alert.message = t.message;
    alert.metricsSnapshot = { ...t.snapshot };
    alert.updatedAt = t.at;
    slot.lastKey = keyValue(t);
    slot.lastEventAt = t.at;
  }

  private close(slot: Slot, type: 'all_clear' | 'resolved', by: string, at: number, note: string | null): AlertEvent {
    const alert = slot.alert as Alert;
    alert.status = 'resolved';
    alert.resolvedBy = by;
    alert.resolvedAt = at;
    alert.updatedAt = at;
    if (note) appendNote(alert, note);
    // all_clear goes to everyone the alert reached; a manual resolve only to the dashboard.
    const ev = this.event(type, at, alert, undefined, type === 'all_clear');
    slot.alert = null;
    slot.clearSince = null;
    slot.cooldownUntil = at + this.cooldown;
    slot.resolvedAt = at;
    slot.resolvedLevel = alert.level;
    this.alertIndex.delete(alert.id);
    this.resolvedIds.add(alert.id);
    while (this.resolvedIds.size > this.maxResolvedHistory) {
      const oldest = this.resolvedIds.values().next().value as string;
      this.resolvedIds.delete(oldest);
    }
    return ev;
  }

  private event(type: AlertEventType, at: number, alert: Alert, previousLevel?: RiskLevel, notify = false): AlertEvent {
    const channels = notify ? channelsForLevel(alert.level, this.routing) : [...DASHBOARD_ONLY];
    const deliveries = notify ? routeAlert(alert.level, alert.cameraId, this.recipients, this.routing) : [];
    if (notify && type !== 'all_clear') {
      for (const ch of channels) if (!alert.channelsNotified.includes(ch)) alert.channelsNotified.push(ch);
    }
    const ev: AlertEvent = { type, at, alert: copy(alert), channels, deliveries };
    if (previousLevel !== undefined) ev.previousLevel = previousLevel;
    return ev;
  }

  private lookup(
    alertId: string,
    user: string,
    at: number,
  ): { ok: true; alert: Alert; slot: Slot } | { ok: false; code: ActionErrorCode; message: string } {
    const ref = this.alertIndex.get(alertId);
    const slot = ref && this.cameras.get(ref.cameraId)?.slots.get(ref.condition);
    const alert = slot?.alert;
    if (!slot || !alert || alert.id !== alertId) {
      return this.resolvedIds.has(alertId)
        ? fail('already_resolved', `Alert ${alertId} is already resolved`)
        : fail('not_found', `Alert ${alertId} not found`);
    }
    if (typeof user !== 'string' || !user.trim()) return fail('invalid_user', 'A user is required');
    if (!Number.isFinite(at) || at < alert.createdAt) return fail('invalid_time', `Time ${at} is before the alert was raised`);
    return { ok: true, alert, slot };
  }

  private pruneCamera(cameraId: string, cam: CameraState, at: number): void {
    for (const [cond, s] of cam.slots) if (!s.alert && at >= s.cooldownUntil) cam.slots.delete(cond);
    if (cam.slots.size === 0 && cam.offlineSince === null) this.cameras.delete(cameraId);
  }
}

function fail(code: ActionErrorCode, message: string): { ok: false; code: ActionErrorCode; message: string } {
  return { ok: false, code, message };
}

function appendNote(alert: Alert, note: string | undefined): void {
  const n = note?.trim();
  if (n) alert.notes = alert.notes ? `${alert.notes}\n${n}` : n;
}

function copy(a: Alert): Alert {
  return { ...a, metricsSnapshot: { ...a.metricsSnapshot }, channelsNotified: [...a.channelsNotified] };
}

function nonNegative(v: number | undefined, dflt: number, name: string): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`${name} must be a finite number >= 0 (got ${v})`);
  return v;
}
