// The alert policy settings (`alerts.thresholds`, `alerts.routing`): validators and their mapping onto the alert
// engine's TriggerThresholds / RoutingTable. Pure (no I/O).
import { DEFAULT_THRESHOLDS, ROUTING_TABLE, type RoutingTable, type TriggerThresholds } from '@crowdsafe/alerting';
import { ALERT_CHANNELS, type AlertChannel, type RiskLevel } from '@crowdsafe/contracts';
import type { SettingIssue, SettingValidation } from './registry';

/** Trigger thresholds as an operator sets them (capacity in percent of the camera's capacity). */
export interface AlertThresholdsSetting {
  /** surge above this (persons/m²/s) -> WARNING ... */
  surge: number;
  /** ... above this -> CRITICAL. */
  surgeCritical: number;
  /** stagnation: mean speed below this (m/s) ... */
  stagnationVelocity: number;
  /** ... with density above this (persons/m²) -> WARNING. */
  stagnationDensity: number;
  /** count above this % of capacity -> WARNING ... */
  capacityPercent: number;
  /** ... above this % -> CRITICAL. */
  capacityCriticalPercent: number;
  /** early_warning: the density forecast reaches CRITICAL within this many seconds (0 = off; spec 3.4: 30). */
  earlyWarningS: number;
}

/** Channels notified per alert level ('dashboard' is always included). */
export type AlertRoutingSetting = Record<Exclude<RiskLevel, 'SAFE'>, AlertChannel[]>;
export const ROUTED_LEVELS = ['CAUTION', 'WARNING', 'CRITICAL'] as const;

export const DEFAULT_ALERT_THRESHOLDS: AlertThresholdsSetting = {
  surge: DEFAULT_THRESHOLDS.surge,
  surgeCritical: DEFAULT_THRESHOLDS.surgeCritical,
  stagnationVelocity: DEFAULT_THRESHOLDS.stagnationVelocity,
  stagnationDensity: DEFAULT_THRESHOLDS.stagnationDensity,
  capacityPercent: Math.round(DEFAULT_THRESHOLDS.capacityRatio * 100),
  capacityCriticalPercent: Math.round(DEFAULT_THRESHOLDS.capacityCriticalRatio * 100),
  earlyWarningS: DEFAULT_THRESHOLDS.earlyWarningS,
};

export const DEFAULT_ALERT_ROUTING: AlertRoutingSetting = {
  CAUTION: [...ROUTING_TABLE.CAUTION],
  WARNING: [...ROUTING_TABLE.WARNING],
  CRITICAL: [...ROUTING_TABLE.CRITICAL],
};

const BOUNDS: Record<keyof AlertThresholdsSetting, [number, number, string]> = {
  surge: [0.01, 10, 'persons/m²/s'],
  surgeCritical: [0.01, 10, 'persons/m²/s'],
  stagnationVelocity: [0.01, 5, 'm/s'],
  stagnationDensity: [0.1, 10, 'persons/m²'],
  capacityPercent: [1, 1000, '%'],
  capacityCriticalPercent: [1, 1000, '%'],
  earlyWarningS: [0, 600, 's (0 = off)'],
};

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every field required, each in its bounds; the CRITICAL bands above the WARNING ones. */
export function validateAlertThresholds(raw: unknown, path = 'alerts.thresholds'): SettingValidation<AlertThresholdsSetting> {
  if (!isRecord(raw)) return { ok: false, issues: [{ path, message: 'must be an object' }] };
  const issues: SettingIssue[] = [];
  for (const k of Object.keys(raw)) if (!(k in BOUNDS)) issues.push({ path: `${path}.${k}`, message: 'unknown field' });
  const out = {} as AlertThresholdsSetting;
  for (const [k, [lo, hi, unit]] of Object.entries(BOUNDS) as Array<[keyof AlertThresholdsSetting, [number, number, string]]>) {
    const v = raw[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) issues.push({ path: `${path}.${k}`, message: `must be a number from ${lo} to ${hi} ${unit}` });
    else out[k] = v;
  }
  if (!issues.length) {
    if (out.surgeCritical <= out.surge) issues.push({ path: `${path}.surgeCritical`, message: `must be above surge (${out.surge})` });
    if (out.capacityCriticalPercent <= out.capacityPercent) issues.push({ path: `${path}.capacityCriticalPercent`, message: `must be above capacityPercent (${out.capacityPercent})` });
  }
  return issues.length ? { ok: false, issues } : { ok: true, value: out };
}

/** One list of known channels per level (CAUTION, WARNING, CRITICAL); duplicates removed, 'dashboard' added first. */
export function validateAlertRouting(raw: unknown, path = 'alerts.routing'): SettingValidation<AlertRoutingSetting> {
  if (!isRecord(raw)) return { ok: false, issues: [{ path, message: 'must be an object { CAUTION, WARNING, CRITICAL }' }] };
  const issues: SettingIssue[] = [];
  for (const k of Object.keys(raw)) if (!(ROUTED_LEVELS as readonly string[]).includes(k)) issues.push({ path: `${path}.${k}`, message: `unknown level (one of ${ROUTED_LEVELS.join(', ')})` });
  const out = {} as AlertRoutingSetting;
  for (const level of ROUTED_LEVELS) {
    const v = raw[level];
    if (!Array.isArray(v)) {
      issues.push({ path: `${path}.${level}`, message: `must be a list of channels (${ALERT_CHANNELS.join(', ')})` });
      continue;
    }
    const bad = v.filter((c) => !(ALERT_CHANNELS as readonly unknown[]).includes(c));
    if (bad.length) issues.push({ path: `${path}.${level}`, message: `unknown channel ${JSON.stringify(bad[0])} (one of ${ALERT_CHANNELS.join(', ')})` });
    else out[level] = ALERT_CHANNELS.filter((c) => c === 'dashboard' || v.includes(c));
  }
  return issues.length ? { ok: false, issues } : { ok: true, value: out };
}

/** The engine's thresholds from the setting (capacity percent -> ratio). */
export function triggerThresholdsOf(s: AlertThresholdsSetting): Partial<TriggerThresholds> {
  return {
    surge: s.surge,
    surgeCritical: s.surgeCritical,
    stagnationVelocity: s.stagnationVelocity,
    stagnationDensity: s.stagnationDensity,
    capacityRatio: s.capacityPercent / 100,
    capacityCriticalRatio: s.capacityCriticalPercent / 100,
    earlyWarningS: s.earlyWarningS,
  };
}

/** The engine's routing table from the setting (SAFE never notifies). */
export function routingTableOf(s: AlertRoutingSetting): RoutingTable {
  return { SAFE: [], CAUTION: [...s.CAUTION], WARNING: [...s.WARNING], CRITICAL: [...s.CRITICAL] };
}
