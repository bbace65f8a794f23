// The known settings: categories, keys, defaults and validators. Pure (no I/O): the service stores what passes here.
import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
  validateSync,
  type ValidationError,
  type ValidationOptions,
} from 'class-validator';
import { validateRiskConfig, type RiskSettings } from '@crowdsafe/risk';
import {
  DEFAULT_ALERT_ROUTING,
  DEFAULT_ALERT_THRESHOLDS,
  validateAlertRouting,
  validateAlertThresholds,
  type AlertRoutingSetting,
  type AlertThresholdsSetting,
} from './alert-policy';

/** One problem with a value: the dotted path of the field (e.g. "alerts.sound.volume") and what is wrong. */
export interface SettingIssue {
  path: string;
  message: string;
}

export type SettingValidation<T> = { ok: true; value: T } | { ok: false; issues: SettingIssue[] };

export type Theme = 'light' | 'dark' | 'auto';
export const THEMES: readonly Theme[] = ['light', 'dark', 'auto'];

export interface SoundSettings {
  enabled: boolean;
  /** 0 (muted) .. 1. */
  volume: number;
  /** How long "snooze" silences the alarm, minutes (5-15). */
  snoozeMinutes: number;
  /** Repeat the alarm of an unacknowledged critical alert every this many seconds (0 = once). */
  repeatCriticalS: number;
}

export interface ResolutionSetting {
  /** Decoded frame width, px. */
  width: number;
  /** Height, px; null = keep the source's aspect ratio. */
  height: number | null;
}

/** Read-only: the detection model in use. */
export interface ModelInfo {
  path: string;
  executionProvider: 'cpu' | 'cuda';
  threads: number;
  densityModel: string | null;
}

/** Read-only: how inference runs. */
export interface DeviceInfo {
  mode: 'embedded' | 'distributed';
  executionProvider: 'cpu' | 'cuda';
  cpuCores: number;
  inferenceBatchSize: number;
  inferenceMaxInFlight: number;
}

/** Every setting's type, by category and key. `SettingsService.get('alerts', 'cooldownS')` is a number. */
export interface SettingsValues {
  general: { siteName: string; timeZone: string; theme: Theme };
  alerts: { cooldownS: number; allClearS: number; sound: SoundSettings; thresholds: AlertThresholdsSetting; routing: AlertRoutingSetting };
  risk: { thresholds: RiskSettings };
  system: {
    defaultTargetFps: number;
    defaultResolution: ResolutionSetting;
    metricsRetentionDays: number;
    logRetentionDays: number;
    crossingsRetentionDays: number;
    model: ModelInfo;
    device: DeviceInfo;
  };
}
export type SettingsCategory = keyof SettingsValues;
export type SettingKey<C extends SettingsCategory> = keyof SettingsValues[C] & string;
export const SETTINGS_CATEGORIES: readonly SettingsCategory[] = ['general', 'alerts', 'risk', 'system'];

export interface SettingDefinition<T = unknown> {
  category: SettingsCategory;
  key: string;
  description: string;
  default: T;
  /** Derived from the server's configuration: shown, never written. */
  readOnly: boolean;
  /** Checks a candidate value; `ok` carries the value to store (normalised, e.g. risk defaults filled in). */
  validate(value: unknown): SettingValidation<T>;
}

/** What the defaults of the `system` category come from (the validated AppConfig at boot). */
export interface SettingsContext {
  /** ALERT_COOLDOWN_S / ALERT_ALL_CLEAR_S: the alerts defaults until set here. */
  alertCooldownS: number;
  alertAllClearS: number;
  defaultTargetFps: number;
  defaultWidth: number;
  metricsRetentionDays: number;
  logRetentionDays: number;
  /** Crossing events' retention default (30 when not given). */
  crossingsRetentionDays?: number;
  model: ModelInfo;
  device: DeviceInfo;
}

/** Largest accepted value, serialised as JSON (the risk settings with many cameras/schedules stay far below it). */
export const MAX_SETTING_JSON_BYTES = 256 * 1024;
/** Bounds of the risk settings beyond validateRiskConfig: per-camera entries, schedules and their fields. */
export const RISK_LIMITS = { cameras: 1000, cameraIdLength: 64, schedules: 200, scheduleNameLength: 100, scheduleCameras: 256 };

// ---------------------------------------------------------------------------------------------------------------
// class-validator plumbing: each value is checked as the `value` property of a small DTO, issues carry the path.

export function isIanaTimeZone(tz: unknown): boolean {
  if (typeof tz !== 'string' || tz.length === 0 || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function IsIanaTimeZone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isIanaTimeZone', validator: { validate: (v: unknown) => isIanaTimeZone(v) } }, options);
}

function flatten(errors: ValidationError[], base: string): SettingIssue[] {
  return errors.flatMap((e) => {
    // The wrapper property `value` is the setting itself.
    const path = e.property === 'value' ? base : `${base}.${e.property}`;
    // class-validator's own "nested property ... must be either object or array" repeats our "must be an object".
    const own = Object.entries(e.constraints ?? {})
      .filter(([name]) => name !== 'nestedValidation' || !e.constraints?.['isObject'])
      .map(([, m]) => m)
      .map((m) => ({ path, message: m.replace(/^property (\S+) should not exist$/, 'unknown field') }));
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

function dtoValidator<T>(cls: new () => { value: T }, path: string): (value: unknown) => SettingValidation<T> {
  return (value) => {
    const inst = plainToInstance(cls, { value });
    const errors = validateSync(inst, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, stopAtFirstError: true });
    if (errors.length) return { ok: false, issues: dedupe(flatten(errors, path)) };
    return { ok: true, value: structuredClone(value) as T };
  };
}

function dedupe(issues: SettingIssue[]): SettingIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}\u0000${i.message}`;
    return !seen.has(k) && !!seen.add(k);
  });
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(v)));
const intRange = (min: number, max: number, unit = '') => `must be a whole number from ${min} to ${max}${unit}`;

class SiteNameValue {
  @Length(1, 100, { message: 'must be 1 to 100 characters' }) @IsString({ message: 'must be a string' }) value!: string;
}
class TimeZoneValue {
  @IsIanaTimeZone({ message: 'must be an IANA time zone such as "Europe/London"' }) value!: string;
}
class ThemeValue {
  @IsIn(THEMES as string[], { message: `must be one of ${THEMES.join(', ')}` }) value!: Theme;
}
class CooldownValue {
  @IsInt({ message: intRange(10, 3600, ' seconds') }) @Min(10, { message: intRange(10, 3600, ' seconds') }) @Max(3600, { message: intRange(10, 3600, ' seconds') })
  value!: number;
}
class AllClearValue {
  @IsInt({ message: intRange(0, 3600, ' seconds') }) @Min(0, { message: intRange(0, 3600, ' seconds') }) @Max(3600, { message: intRange(0, 3600, ' seconds') })
  value!: number;
}
class SoundDto implements SoundSettings {
  @IsBoolean({ message: 'must be true or false' }) enabled!: boolean;
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'must be a number from 0 to 1' })
  @Min(0, { message: 'must be a number from 0 to 1' })
  @Max(1, { message: 'must be a number from 0 to 1' })
  volume!: number;
  @IsInt({ message: intRange(5, 15, ' minutes') }) @Min(5, { message: intRange(5, 15, ' minutes') }) @Max(15, { message: intRange(5, 15, ' minutes') })
  snoozeMinutes!: number;
  @IsInt({ message: intRange(0, 3600, ' seconds (0 = once)') })
  @Min(0, { message: intRange(0, 3600, ' seconds (0 = once)') })
  @Max(3600, { message: intRange(0, 3600, ' seconds (0 = once)') })
  repeatCriticalS!: number;
}
class SoundValue {
  @IsDefined({ message: 'is required' }) @IsObject({ message: 'must be an object' }) @ValidateNested() @Type(() => SoundDto) value!: SoundSettings;
}
class FpsValue {
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'must be a number from 1 to 30 (frames per second)' })
  @Min(1, { message: 'must be a number from 1 to 30 (frames per second)' })
  @Max(30, { message: 'must be a number from 1 to 30 (frames per second)' })
  value!: number;
}
class ResolutionDto implements ResolutionSetting {
  @IsInt({ message: intRange(160, 7680, ' px') }) @Min(160, { message: intRange(160, 7680, ' px') }) @Max(7680, { message: intRange(160, 7680, ' px') })
  width!: number;
  @IsOptional() @IsInt({ message: `${intRange(90, 4320, ' px')} or null` }) @Min(90, { message: `${intRange(90, 4320, ' px')} or null` }) @Max(4320, { message: `${intRange(90, 4320, ' px')} or null` })
  height!: number | null;
}
class ResolutionValue {
  @IsDefined({ message: 'is required' }) @IsObject({ message: 'must be an object { width, height }' }) @ValidateNested() @Type(() => ResolutionDto)
  value!: ResolutionSetting;
}
class RetentionValue {
  @IsInt({ message: intRange(1, 3650, ' days') }) @Min(1, { message: intRange(1, 3650, ' days') }) @Max(3650, { message: intRange(1, 3650, ' days') })
  value!: number;
}

/** The risk settings: validateRiskConfig (weights sum to 1, ordered thresholds, profiles, schedules) plus size bounds. */
export function validateRiskSettings(raw: unknown, path = 'risk.thresholds'): SettingValidation<RiskSettings> {
  const issues: SettingIssue[] = [];
  const p = (f: string) => (f ? `${path}.${f}` : path);
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const r = raw as Record<string, unknown>;
    const cams = r['cameras'];
    if (cams && typeof cams === 'object' && !Array.isArray(cams)) {
      const ids = Object.keys(cams);
      if (ids.length > RISK_LIMITS.cameras) issues.push({ path: p('cameras'), message: `at most ${RISK_LIMITS.cameras} cameras (got ${ids.length})` });
      for (const id of ids) {
        if (id.length === 0 || id.length > RISK_LIMITS.cameraIdLength) issues.push({ path: p(`cameras.${id.slice(0, 80)}`), message: `camera id must be 1 to ${RISK_LIMITS.cameraIdLength} characters` });
      }
    }
    const sch = r['schedules'];
    if (Array.isArray(sch)) {
      if (sch.length > RISK_LIMITS.schedules) issues.push({ path: p('schedules'), message: `at most ${RISK_LIMITS.schedules} schedules (got ${sch.length})` });
      sch.slice(0, RISK_LIMITS.schedules).forEach((s: unknown, i) => {
        if (!s || typeof s !== 'object') return;
        const o = s as Record<string, unknown>;
        if (typeof o['name'] === 'string' && o['name'].length > RISK_LIMITS.scheduleNameLength) {
          issues.push({ path: p(`schedules[${i}].name`), message: `must be at most ${RISK_LIMITS.scheduleNameLength} characters` });
        }
        if (Array.isArray(o['cameras']) && o['cameras'].length > RISK_LIMITS.scheduleCameras) {
          issues.push({ path: p(`schedules[${i}].cameras`), message: `at most ${RISK_LIMITS.scheduleCameras} camera ids` });
        }
      });
    }
  }
  if (issues.length) return { ok: false, issues };
  const v = validateRiskConfig(raw);
  if (!v.ok) return { ok: false, issues: v.issues.map((i) => ({ path: p(i.path), message: i.message })) };
  return { ok: true, value: v.value };
}

const readOnlyValidator = (path: string) => (): SettingValidation<never> => ({
  ok: false,
  issues: [{ path, message: 'is read-only (derived from the server configuration)' }],
});

function def<T>(category: SettingsCategory, key: string, description: string, dflt: T, validate: (v: unknown) => SettingValidation<T>, readOnly = false): SettingDefinition<T> {
  return { category, key, description, default: dflt, readOnly, validate };
}

/** The registry: category -> key -> definition. Built once from the boot configuration. */
export type SettingsRegistry = { [C in SettingsCategory]: { [K in SettingKey<C>]: SettingDefinition<SettingsValues[C][K]> } };

export const DEFAULT_SOUND: SoundSettings = { enabled: true, volume: 0.8, snoozeMinutes: 10, repeatCriticalS: 30 };

export function buildSettingsRegistry(ctx: SettingsContext, riskDefaults: RiskSettings): SettingsRegistry {
  const dto = <T>(cls: new () => { value: T }, c: SettingsCategory, k: string) => dtoValidator(cls, `${c}.${k}`);
  return {
    general: {
      siteName: def('general', 'siteName', 'Name shown in the console header and in notifications (1-100 characters)', 'CrowdSafe', dto(SiteNameValue, 'general', 'siteName')),
      timeZone: def('general', 'timeZone', 'IANA time zone for dates in the console and reports, e.g. "Europe/London"', 'UTC', dto(TimeZoneValue, 'general', 'timeZone')),
      theme: def<Theme>('general', 'theme', 'Console theme: light, dark or auto (follows the operating system)', 'auto', dto(ThemeValue, 'general', 'theme')),
    },
    alerts: {
      cooldownS: def('alerts', 'cooldownS', 'Minimum seconds between two alerts of the same camera and condition (10-3600)', clamp(ctx.alertCooldownS, 10, 3600), dto(CooldownValue, 'alerts', 'cooldownS')),
      allClearS: def('alerts', 'allClearS', 'Seconds a camera must stay below an alert level before the all-clear (0-3600)', clamp(ctx.alertAllClearS, 0, 3600), dto(AllClearValue, 'alerts', 'allClearS')),
      sound: def('alerts', 'sound', 'Console alarm sound: enabled, volume 0-1, snooze 5-15 minutes, repeat of unacknowledged critical alerts', DEFAULT_SOUND, dto(SoundValue, 'alerts', 'sound')),
      thresholds: def('alerts', 'thresholds', 'Alert triggers: surge / surgeCritical (p/m²/s), stagnationVelocity (m/s) with stagnationDensity (p/m²), capacityPercent / capacityCriticalPercent of capacity, earlyWarningS (forecast time to CRITICAL, 0 = off); applied live', DEFAULT_ALERT_THRESHOLDS, (v) => validateAlertThresholds(v)),
      routing: def('alerts', 'routing', 'Channels notified per level { CAUTION, WARNING, CRITICAL: [dashboard, email, sms, push, webhook] } (dashboard always); applied live', DEFAULT_ALERT_ROUTING, (v) => validateAlertRouting(v)),
    },
    risk: {
      thresholds: def('risk', 'thresholds', 'Risk score settings: weights (sum to 1), thresholds (caution < warning < critical), references, hysteresis, event profiles, per-camera overrides and schedules', riskDefaults, (v) => validateRiskSettings(v)),
    },
    system: {
      defaultTargetFps: def('system', 'defaultTargetFps', 'Processing rate of new cameras created without one, frames per second (1-30; default CAMERA_DEFAULT_FPS)', Math.min(30, Math.max(1, ctx.defaultTargetFps)), dto(FpsValue, 'system', 'defaultTargetFps')),
      defaultResolution: def('system', 'defaultResolution', 'Decoded frame size of new cameras created without one { width 160-7680 (default CAMERA_DEFAULT_WIDTH), height 90-4320 or null = keep the aspect ratio }', { width: Math.min(7680, Math.max(160, ctx.defaultWidth)), height: null }, (v) => {
        const r = dto(ResolutionValue, 'system', 'defaultResolution')(v);
        return r.ok ? { ok: true, value: { width: r.value.width, height: r.value.height ?? null } } : r;
      }),
      metricsRetentionDays: def('system', 'metricsRetentionDays', 'Days of per-second metrics and per-minute rollups to keep (1-3650; default METRICS_RETENTION_DAYS); the hourly retention jobs read it at each run', Math.min(3650, Math.max(1, ctx.metricsRetentionDays)), dto(RetentionValue, 'system', 'metricsRetentionDays')),
      logRetentionDays: def('system', 'logRetentionDays', 'Days of system and audit logs to keep (1-3650; default LOG_RETENTION_DAYS); the daily log retention job reads it at each run', Math.min(3650, Math.max(1, ctx.logRetentionDays)), dto(RetentionValue, 'system', 'logRetentionDays')),
      crossingsRetentionDays: def('system', 'crossingsRetentionDays', 'Days of counting-line crossing events to keep (1-3650); the hourly crossings retention job reads it at each run', Math.min(3650, Math.max(1, ctx.crossingsRetentionDays ?? 30)), dto(RetentionValue, 'system', 'crossingsRetentionDays')),
      model: def('system', 'model', 'Detection model in use (read-only)', ctx.model, readOnlyValidator('system.model'), true),
      device: def('system', 'device', 'Inference device and deployment mode (read-only)', ctx.device, readOnlyValidator('system.device'), true),
    },
  };
}

/** Checks `value` for category/key: unknown category or key and read-only keys are issues too (never thrown). */
export function validateSetting(registry: SettingsRegistry, category: string, key: string, value: unknown): SettingValidation<unknown> {
  const d = definitionOf(registry, category, key);
  if (!d) return { ok: false, issues: [{ path: `${category}.${key}`, message: 'unknown setting' }] };
  if (value === undefined) return { ok: false, issues: [{ path: `${category}.${key}`, message: 'value is required' }] };
  let size: number;
  try {
    size = Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  } catch {
    return { ok: false, issues: [{ path: `${category}.${key}`, message: 'must be JSON' }] };
  }
  if (size > MAX_SETTING_JSON_BYTES) return { ok: false, issues: [{ path: `${category}.${key}`, message: `is too large (${size} bytes, at most ${MAX_SETTING_JSON_BYTES})` }] };
  return d.validate(value);
}

export function definitionOf(registry: SettingsRegistry, category: string, key: string): SettingDefinition | undefined {
  if (!Object.prototype.hasOwnProperty.call(registry, category)) return undefined;
  const cat = registry[category as SettingsCategory] as Record<string, SettingDefinition>;
  return Object.prototype.hasOwnProperty.call(cat, key) ? cat[key] : undefined;
}

export function isCategory(c: string): c is SettingsCategory {
  return (SETTINGS_CATEGORIES as readonly string[]).includes(c);
}

/** "path: message" lines of issues, for 400 responses and logs. */
export function issueMessages(issues: readonly SettingIssue[]): string[] {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
}
