import type { RiskLevel } from '@crowdsafe/contracts';
import type { AlertCondition, ConditionState, MetricsSnapshot, MetricsUpdate, Trigger, TriggerThresholds } from './types';

/** Spec 4.1 thresholds (the CRITICAL bands are ours: twice-ish the WARNING ones). */
export const DEFAULT_THRESHOLDS: Readonly<TriggerThresholds> = Object.freeze({
  surge: 0.8,
  surgeCritical: 1.5,
  stagnationVelocity: 0.2,
  stagnationDensity: 4,
  capacityRatio: 1.1,
  capacityCriticalRatio: 1.25,
  offlineGraceMs: 30_000,
  earlyWarningS: 30,
});

export interface EvaluateOptions {
  thresholds?: Partial<TriggerThresholds>;
  /** Since when the camera has been offline/error (tracked by the caller / AlertEngine); null = connected. */
  offlineSince?: number | null;
}

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
const round = (v: number, digits = 3): number => Math.round(v * 10 ** digits) / 10 ** digits;

function snapshotOf(u: MetricsUpdate, extra: MetricsSnapshot = {}): MetricsSnapshot {
  const num = (v: number | null): number | null => (finite(v) ? round(v) : null);
  return {
    at: u.at,
    level: u.level,
    score: num(u.score),
    density: num(u.density),
    surge: num(u.surge),
    velocity: num(u.velocity),
    count: num(u.count),
    capacity: num(u.capacity),
    cameraStatus: u.cameraStatus,
    ...extra,
  };
}

/**
 * Evaluate every condition of spec 4.1 for one update. Metric conditions are 'unknown' while the camera is not
 * online (stale metrics must neither raise nor all-clear an alert); risk_level is also unknown while level is null.
 */
export function evaluateConditions(u: MetricsUpdate, options: EvaluateOptions = {}): ConditionState[] {
  const t: TriggerThresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const online = u.cameraStatus === 'online';
  const out: ConditionState[] = [];
  const hit = (condition: AlertCondition, level: RiskLevel, message: string, extra: MetricsSnapshot = {}): void => {
    const trigger: Trigger = { cameraId: u.cameraId, condition, level, at: u.at, message, snapshot: snapshotOf(u, extra) };
    out.push({ condition, state: 'triggered', trigger });
  };
  const mark = (condition: AlertCondition, state: 'clear' | 'unknown'): void => {
    out.push({ condition, state });
  };

  // risk_level
  if (!online || u.level === null) mark('risk_level', 'unknown');
  else if (u.level === 'WARNING' || u.level === 'CRITICAL')
    hit('risk_level', u.level, `Risk level ${u.level} (score ${finite(u.score) ? round(u.score, 2) : '?'}) on camera ${u.cameraId}`);
  else mark('risk_level', 'clear');

  // early_warning: the density forecast crosses into CRITICAL within earlyWarningS (spec 3.4). Raised while the
  // tracked level is still below CRITICAL; once CRITICAL, risk_level carries the alarm and this one is clear.
  const ew = u.earlyWarningInS;
  if (!online || u.level === null || !(t.earlyWarningS > 0)) mark('early_warning', 'unknown');
  else if (u.level !== 'CRITICAL' && finite(ew) && ew <= t.earlyWarningS)
    hit('early_warning', 'WARNING', `CRITICAL expected in ${Math.max(0, Math.round(ew))} s (density forecast) on camera ${u.cameraId}`, {
      earlyWarningInS: round(ew, 1),
      threshold: t.earlyWarningS,
    });
  else mark('early_warning', 'clear');

  // surge
  if (!online || !finite(u.surge)) mark('surge', 'unknown');
  else if (u.surge > t.surge) {
    const level: RiskLevel = u.surge > t.surgeCritical ? 'CRITICAL' : 'WARNING';
    hit('surge', level, `Crowd surge ${round(u.surge, 2)} p/m²/s (> ${t.surge}) on camera ${u.cameraId}`, { threshold: t.surge });
  } else mark('surge', 'clear');

  // stagnation
  if (!online || !finite(u.velocity) || !finite(u.density)) mark('stagnation', 'unknown');
  else if (u.velocity < t.stagnationVelocity && u.density > t.stagnationDensity)
    hit(
      'stagnation',
      'WARNING',
      `Stagnant dense crowd: ${round(u.velocity, 2)} m/s at ${round(u.density, 2)} p/m² on camera ${u.cameraId}`,
      { velocityThreshold: t.stagnationVelocity, densityThreshold: t.stagnationDensity },
    );
  else mark('stagnation', 'clear');

  // capacity
  if (!online || !finite(u.count) || !finite(u.capacity) || u.capacity <= 0) mark('capacity', 'unknown');
  else if (u.count > u.capacity * t.capacityRatio) {
    const level: RiskLevel = u.count > u.capacity * t.capacityCriticalRatio ? 'CRITICAL' : 'WARNING';
    const pct = Math.round((u.count / u.capacity) * 100);
    hit('capacity', level, `Over capacity: ${u.count} / ${u.capacity} (${pct} %) on camera ${u.cameraId}`, {
      capacityRatio: round(u.count / u.capacity),
    });
  } else mark('capacity', 'clear');

  // camera_offline: offline/error for more than the grace period; 'connecting' neither starts nor clears it.
  const since = options.offlineSince ?? null;
  if (u.cameraStatus === 'online') mark('camera_offline', 'clear');
  else if (since !== null && u.at - since > t.offlineGraceMs)
    hit('camera_offline', 'WARNING', `Camera ${u.cameraId} connection lost (${u.cameraStatus}) for ${Math.round((u.at - since) / 1000)} s`, {
      offlineSince: since,
    });
  else mark('camera_offline', 'unknown'); // within the grace period, or 'connecting'

  // system_error
  const err = typeof u.systemError === 'string' ? u.systemError.trim() : '';
  if (err) hit('system_error', 'WARNING', `System error on camera ${u.cameraId}: ${err}`, { error: err });
  else mark('system_error', 'clear');

  return out;
}

/** Only the conditions that fire (spec 4.1). */
export function evaluateTriggers(u: MetricsUpdate, options: EvaluateOptions = {}): Trigger[] {
  return evaluateConditions(u, options).flatMap((c) => (c.state === 'triggered' ? [c.trigger] : []));
}
