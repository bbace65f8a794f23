import type {
  EventProfileId,
  HysteresisConfig,
  RiskConfig,
  RiskConfigPatch,
  RiskReferences,
  RiskSchedule,
  RiskSettings,
  RiskThresholds,
  RiskWeights,
  CameraRiskSettings,
} from './types';
import { EVENT_PROFILE_IDS, RISK_TERMS } from './types';

export const WEIGHT_SUM_TOLERANCE = 1e-6;

/** Base profile: the spec's weights and references (justification in README.md). */
export const DEFAULT_RISK_CONFIG: RiskConfig = {
  weights: { density: 0.4, surge: 0.3, velocity: 0.3, pressure: 0, counterFlow: 0 },
  thresholds: { caution: 25, warning: 50, critical: 75 },
  references: {
    density: 10,
    surge: 2,
    freeSpeed: 1.3,
    crowdingFrom: 1.08,
    crowdingFull: 2.15,
    pressure: 0.02,
    pressureDensityFloor: 2.15,
    counterFlow: 0.5,
  },
  hysteresis: { riseDwellS: 2, fallDwellS: 10, margin: 5 },
};

/** Built-in event profiles as patches on the defaults (weights sum to 1; see README.md for the reasoning). */
export const EVENT_PROFILES: Readonly<Record<EventProfileId, RiskConfigPatch>> = {
  base: {},
  concert: { weights: { density: 0.35, surge: 0.25, velocity: 0.2, pressure: 0.15, counterFlow: 0.05 } },
  'religious-gathering': {
    weights: { density: 0.35, surge: 0.2, velocity: 0.2, pressure: 0.2, counterFlow: 0.05 },
  },
  'stadium-egress': { weights: { density: 0.3, surge: 0.3, velocity: 0.2, pressure: 0.1, counterFlow: 0.1 } },
  transit: { weights: { density: 0.35, surge: 0.25, velocity: 0.2, pressure: 0.05, counterFlow: 0.15 } },
};

export const DEFAULT_RISK_SETTINGS: RiskSettings = {
  timeZone: 'UTC',
  defaults: DEFAULT_RISK_CONFIG,
  profiles: { ...EVENT_PROFILES },
  cameras: {},
  schedules: [],
};

/** Applies a patch (weights replace as a whole; the other groups merge field by field). */
export function applyPatch(cfg: RiskConfig, patch: RiskConfigPatch | undefined): RiskConfig {
  if (!patch) return cfg;
  return {
    weights: patch.weights ? { ...patch.weights } : cfg.weights,
    thresholds: { ...cfg.thresholds, ...patch.thresholds },
    references: { ...cfg.references, ...patch.references },
    hysteresis: { ...cfg.hysteresis, ...patch.hysteresis },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Schedules and resolution

const HHMM = /^(\d{2}):(\d{2})$/;

/** Minutes since midnight of "HH:MM" (00:00-23:59; "24:00" only when allowEnd), or null when invalid. */
export function parseHhMm(s: unknown, allowEnd = false): number | null {
  if (typeof s !== 'string') return null;
  const m = HHMM.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (allowEnd && h === 24 && min === 0) return 1440;
  return h <= 23 && min <= 59 ? h * 60 + min : null;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Weekday (0 = Sunday) and minutes since midnight of an instant in an IANA time zone. */
export function localTime(at: Date, timeZone: string): { weekday: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return { weekday: WEEKDAYS[get('weekday')] ?? 0, minutes: (Number(get('hour')) % 24) * 60 + Number(get('minute')) };
}

/** Whether a schedule window is active at a local weekday/time (windows with from > to cross midnight). */
export function scheduleActive(s: RiskSchedule, weekday: number, minutes: number): boolean {
  const from = parseHhMm(s.from);
  const to = parseHhMm(s.to, true);
  if (from === null || to === null || from === to) return false;
  if (from < to) return s.days.includes(weekday) && minutes >= from && minutes < to;
  const prev = (weekday + 6) % 7;
  return (s.days.includes(weekday) && minutes >= from) || (s.days.includes(prev) && minutes < to);
}

export interface ResolvedRiskConfig {
  config: RiskConfig;
  profile: EventProfileId;
  /** Names of the schedules that applied, in order. */
  schedules: string[];
}

/**
 * Effective config of a camera at an instant. Layers, later wins: global defaults; the event profile (the last
 * active schedule that names one, else the camera's, else base); the camera's overrides; the active schedules'
 * overrides in list order (a time window is the most specific statement: "this camera, this evening").
 */
export function resolveRiskConfig(settings: RiskSettings, cameraId: string, at: Date): ResolvedRiskConfig {
  const { weekday, minutes } = localTime(at, settings.timeZone);
  const cam: CameraRiskSettings = settings.cameras[cameraId] ?? {};
  const active = settings.schedules.filter(
    (s) => (!s.cameras || s.cameras.includes(cameraId)) && scheduleActive(s, weekday, minutes),
  );
  let profile: EventProfileId = cam.profile ?? 'base';
  for (const s of active) if (s.profile) profile = s.profile;
  let config = applyPatch(settings.defaults, settings.profiles[profile]);
  config = applyPatch(config, cam.overrides);
  for (const s of active) config = applyPatch(config, s.overrides);
  return { config, profile, schedules: active.map((s) => s.name) };
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

export interface RiskConfigIssue {
  /** Dotted path of the field, e.g. "cameras.cam-1.overrides.thresholds.warning". */
  path: string;
  message: string;
}
export type RiskConfigValidation = { ok: true; value: RiskSettings } | { ok: false; issues: RiskConfigIssue[] };

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Checks a complete config: weights >= 0 summing to 1, 0 < caution < warning < critical < 100, references > 0. */
export function checkRiskConfig(cfg: RiskConfig, path: string): RiskConfigIssue[] {
  const issues: RiskConfigIssue[] = [];
  const p = (f: string) => (path ? `${path}.${f}` : f);
  let sum = 0;
  for (const t of RISK_TERMS) {
    const w = cfg.weights[t];
    if (!isNum(w) || w < 0) issues.push({ path: p(`weights.${t}`), message: 'must be a number >= 0' });
    else sum += w;
  }
  if (issues.length === 0 && Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
    issues.push({ path: p('weights'), message: `must sum to 1 (got ${Number(sum.toFixed(9))})` });
  }
  const { caution, warning, critical } = cfg.thresholds;
  const th: [keyof RiskThresholds, number][] = [
    ['caution', caution],
    ['warning', warning],
    ['critical', critical],
  ];
  let thOk = true;
  for (const [k, v] of th) {
    if (!isNum(v) || v <= 0 || v >= 100) {
      issues.push({ path: p(`thresholds.${k}`), message: 'must be a number in (0, 100)' });
      thOk = false;
    }
  }
  if (thOk && !(caution < warning && warning < critical)) {
    issues.push({ path: p('thresholds'), message: 'must be strictly ordered: caution < warning < critical' });
  }
  for (const [k, v] of Object.entries(cfg.references)) {
    if (!isNum(v) || v <= 0) issues.push({ path: p(`references.${k}`), message: 'must be a number > 0' });
  }
  if (isNum(cfg.references.crowdingFrom) && isNum(cfg.references.crowdingFull)) {
    if (cfg.references.crowdingFull <= cfg.references.crowdingFrom) {
      issues.push({ path: p('references.crowdingFull'), message: 'must be greater than references.crowdingFrom' });
    }
  }
  for (const [k, v] of Object.entries(cfg.hysteresis)) {
    if (!isNum(v) || v < 0) issues.push({ path: p(`hysteresis.${k}`), message: 'must be a number >= 0' });
  }
  return issues;
}

const GROUPS = {
  thresholds: ['caution', 'warning', 'critical'],
  references: Object.keys(DEFAULT_RISK_CONFIG.references),
  hysteresis: Object.keys(DEFAULT_RISK_CONFIG.hysteresis),
} as const;

function parsePatch(raw: unknown, path: string, issues: RiskConfigIssue[]): RiskConfigPatch {
  const out: RiskConfigPatch = {};
  if (raw === undefined) return out;
  if (!isObj(raw)) {
    issues.push({ path, message: 'must be an object' });
    return out;
  }
  for (const key of Object.keys(raw)) {
    const v = raw[key];
    const kp = `${path}.${key}`;
    if (key === 'weights') {
      if (!isObj(v)) {
        issues.push({ path: kp, message: 'must be an object' });
        continue;
      }
      const w = {} as RiskWeights;
      for (const t of RISK_TERMS) {
        if (!isNum(v[t])) issues.push({ path: `${kp}.${t}`, message: 'must be a number (weights are given complete)' });
        else w[t] = v[t];
      }
      for (const k of Object.keys(v)) {
        if (!(RISK_TERMS as readonly string[]).includes(k)) issues.push({ path: `${kp}.${k}`, message: 'unknown field' });
      }
      out.weights = w;
    } else if (key === 'thresholds' || key === 'references' || key === 'hysteresis') {
      if (!isObj(v)) {
        issues.push({ path: kp, message: 'must be an object' });
        continue;
      }
      const group: Record<string, number> = {};
      for (const [k, x] of Object.entries(v)) {
        if (!(GROUPS[key] as readonly string[]).includes(k)) issues.push({ path: `${kp}.${k}`, message: 'unknown field' });
        else if (!isNum(x)) issues.push({ path: `${kp}.${k}`, message: 'must be a number' });
        else group[k] = x;
      }
      if (key === 'thresholds') out.thresholds = group as Partial<RiskThresholds>;
      else if (key === 'references') out.references = group as Partial<RiskReferences>;
      else out.hysteresis = group as Partial<HysteresisConfig>;
    } else {
      issues.push({ path: kp, message: 'unknown field' });
    }
  }
  return out;
}

function isProfile(x: unknown): x is EventProfileId {
  return typeof x === 'string' && (EVENT_PROFILE_IDS as readonly string[]).includes(x);
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Validates raw risk settings (e.g. from the settings module). Missing parts take the defaults / built-in profiles;
 * every issue names its field. Each profile, camera and schedule is checked as the complete config it yields.
 */
export function validateRiskConfig(raw: unknown): RiskConfigValidation {
  const issues: RiskConfigIssue[] = [];
  const r = raw === undefined ? {} : raw;
  if (!isObj(r)) return { ok: false, issues: [{ path: '', message: 'must be an object' }] };
  for (const k of Object.keys(r)) {
    if (!['timeZone', 'defaults', 'profiles', 'cameras', 'schedules'].includes(k)) issues.push({ path: k, message: 'unknown field' });
  }

  let timeZone = DEFAULT_RISK_SETTINGS.timeZone;
  if (r['timeZone'] !== undefined) {
    if (typeof r['timeZone'] !== 'string' || !validTimeZone(r['timeZone'])) {
      issues.push({ path: 'timeZone', message: 'must be an IANA time zone such as "Europe/London"' });
    } else timeZone = r['timeZone'];
  }

  const defaults = applyPatch(DEFAULT_RISK_CONFIG, parsePatch(r['defaults'], 'defaults', issues));
  const defaultIssues = checkRiskConfig(defaults, '');
  issues.push(...defaultIssues.map((i) => ({ ...i, path: `defaults.${i.path}` })));
  // A derived config (profile, camera, schedule) reports only what it breaks itself, not what `defaults` broke.
  const inherited = new Set(defaultIssues.map((i) => i.path));
  const checkDerived = (cfg: RiskConfig, path: string): RiskConfigIssue[] =>
    checkRiskConfig(cfg, '')
      .filter((i) => !inherited.has(i.path))
      .map((i) => ({ ...i, path: `${path}.${i.path}` }));

  const profiles: Record<EventProfileId, RiskConfigPatch> = { ...EVENT_PROFILES };
  if (r['profiles'] !== undefined) {
    const rp = r['profiles'];
    if (!isObj(rp)) issues.push({ path: 'profiles', message: 'must be an object' });
    else {
      for (const [id, patch] of Object.entries(rp)) {
        if (!isProfile(id)) issues.push({ path: `profiles.${id}`, message: `unknown profile (one of ${EVENT_PROFILE_IDS.join(', ')})` });
        else profiles[id] = parsePatch(patch, `profiles.${id}`, issues);
      }
    }
  }
  // A profile / camera / schedule that changes nothing yields `defaults` (or its profile) again: checked once there.
  for (const id of EVENT_PROFILE_IDS) {
    if (Object.keys(profiles[id]).length > 0) issues.push(...checkDerived(applyPatch(defaults, profiles[id]), `profiles.${id}`));
  }

  const cameras: Record<string, CameraRiskSettings> = {};
  if (r['cameras'] !== undefined) {
    const rc = r['cameras'];
    if (!isObj(rc)) issues.push({ path: 'cameras', message: 'must be an object' });
    else {
      for (const [id, c] of Object.entries(rc)) {
        const cp = `cameras.${id}`;
        if (!isObj(c)) {
          issues.push({ path: cp, message: 'must be an object' });
          continue;
        }
        const cam: CameraRiskSettings = {};
        for (const k of Object.keys(c)) if (k !== 'profile' && k !== 'overrides') issues.push({ path: `${cp}.${k}`, message: 'unknown field' });
        if (c['profile'] !== undefined) {
          if (!isProfile(c['profile'])) issues.push({ path: `${cp}.profile`, message: `unknown profile (one of ${EVENT_PROFILE_IDS.join(', ')})` });
          else cam.profile = c['profile'];
        }
        if (c['overrides'] !== undefined) cam.overrides = parsePatch(c['overrides'], `${cp}.overrides`, issues);
        if (cam.overrides) issues.push(...checkDerived(applyPatch(applyPatch(defaults, profiles[cam.profile ?? 'base']), cam.overrides), cp));
        cameras[id] = cam;
      }
    }
  }

  const schedules: RiskSchedule[] = [];
  if (r['schedules'] !== undefined) {
    const rs = r['schedules'];
    if (!Array.isArray(rs)) issues.push({ path: 'schedules', message: 'must be an array' });
    else {
      rs.forEach((s: unknown, i: number) => {
        const sp = `schedules[${i}]`;
        if (!isObj(s)) {
          issues.push({ path: sp, message: 'must be an object' });
          return;
        }
        const before = issues.length;
        for (const k of Object.keys(s)) {
          if (!['name', 'days', 'from', 'to', 'cameras', 'profile', 'overrides'].includes(k)) issues.push({ path: `${sp}.${k}`, message: 'unknown field' });
        }
        if (typeof s['name'] !== 'string' || s['name'].trim() === '') issues.push({ path: `${sp}.name`, message: 'must be a non-empty string' });
        const days = s['days'];
        if (!Array.isArray(days) || days.length === 0 || !days.every((d) => Number.isInteger(d) && d >= 0 && d <= 6)) {
          issues.push({ path: `${sp}.days`, message: 'must be a non-empty array of weekdays 0 (Sunday) to 6' });
        }
        const from = parseHhMm(s['from']);
        const to = parseHhMm(s['to'], true);
        if (from === null) issues.push({ path: `${sp}.from`, message: 'must be a time "HH:MM" from 00:00 to 23:59' });
        if (to === null) issues.push({ path: `${sp}.to`, message: 'must be a time "HH:MM" from 00:00 to 24:00' });
        if (from !== null && to !== null && from === to) {
          issues.push({ path: `${sp}.to`, message: 'must differ from from (use 00:00-24:00 for a whole day)' });
        }
        const cams = s['cameras'];
        if (cams !== undefined && (!Array.isArray(cams) || !cams.every((c) => typeof c === 'string'))) {
          issues.push({ path: `${sp}.cameras`, message: 'must be an array of camera ids' });
        }
        if (s['profile'] !== undefined && !isProfile(s['profile'])) {
          issues.push({ path: `${sp}.profile`, message: `unknown profile (one of ${EVENT_PROFILE_IDS.join(', ')})` });
        }
        const overrides = s['overrides'] === undefined ? undefined : parsePatch(s['overrides'], `${sp}.overrides`, issues);
        if (issues.length > before) return;
        const sched: RiskSchedule = { name: s['name'] as string, days: [...(days as number[])], from: s['from'] as string, to: s['to'] as string };
        if (cams !== undefined) sched.cameras = [...(cams as string[])];
        if (s['profile'] !== undefined) sched.profile = s['profile'] as EventProfileId;
        if (overrides) sched.overrides = overrides;
        if (overrides) issues.push(...checkDerived(applyPatch(applyPatch(defaults, profiles[sched.profile ?? 'base']), overrides), sp));
        schedules.push(sched);
      });
    }
  }

  if (issues.length > 0) {
    // One issue per field: a malformed value is reported where it is parsed, not again by the config check.
    const seen = new Set<string>();
    return { ok: false, issues: issues.filter((i) => !seen.has(i.path) && seen.add(i.path)) };
  }
  return { ok: true, value: { timeZone, defaults, profiles, cameras, schedules } };
}
