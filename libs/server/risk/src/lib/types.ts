import type { RiskLevel } from '@crowdsafe/contracts';

/** Terms of the risk score. `density`, `surge` and `velocity` are the spec's; the other two are optional extras. */
export type RiskTerm = 'density' | 'surge' | 'velocity' | 'pressure' | 'counterFlow';
export const RISK_TERMS: readonly RiskTerm[] = ['density', 'surge', 'velocity', 'pressure', 'counterFlow'];

/** Weights of the terms; they must sum to 1 (tolerance 1e-6) so the score stays in [0, 100]. */
export type RiskWeights = Record<RiskTerm, number>;

/** Score thresholds: SAFE < caution <= CAUTION < warning <= WARNING < critical <= CRITICAL. */
export interface RiskThresholds {
  caution: number;
  warning: number;
  critical: number;
}

/** Normalisation references, all > 0. See README.md for the sources. */
export interface RiskReferences {
  /** people/m² at which density_norm reaches 1. */
  density: number;
  /** people/m²/s at which surge_norm reaches 1. */
  surge: number;
  /** Free walking speed, m/s: velocity_inverse_norm is 0 at and above it. */
  freeSpeed: number;
  /** people/m² below which the velocity and counter-flow terms count nothing (low speed is chosen, not forced). */
  crowdingFrom: number;
  /** people/m² at and above which the velocity and counter-flow terms count fully (linear ramp in between). */
  crowdingFull: number;
  /** Crowd pressure (rho * Var(v)), 1/s², at which pressure_norm reaches 1 (Helbing's ~0.02). */
  pressure: number;
  /** people/m² below which the pressure term counts nothing. */
  pressureDensityFloor: number;
  /** Counter-flow index (fraction moving against the dominant heading) at which its norm reaches 1. */
  counterFlow: number;
}

export interface HysteresisConfig {
  /** Seconds the score must stay at/above a threshold before the level rises to it. */
  riseDwellS: number;
  /** Seconds the score must stay below (threshold - margin) before the level falls below it. */
  fallDwellS: number;
  /** Score points below a threshold needed to fall. */
  margin: number;
}

export interface RiskConfig {
  weights: RiskWeights;
  thresholds: RiskThresholds;
  references: RiskReferences;
  hysteresis: HysteresisConfig;
}

/** One second of crowd metrics. null / undefined / non-finite = not measured. */
export interface RiskInput {
  /** Mean density, people/m² (null: camera not calibrated). */
  density: number | null;
  /** Rate of density change, people/m²/s. */
  surge?: number | null;
  /** Mean speed, m/s. */
  velocity?: number | null;
  /** Max crowd pressure rho * Var(v), 1/s². */
  pressure?: number | null;
  /** Counter-flow index in [0, 1]. */
  counterFlowIndex?: number | null;
}

export interface RiskComponent {
  term: RiskTerm;
  weight: number;
  /** The measured value (null when missing). */
  raw: number | null;
  /** Normalised value in [0, 1] (null when missing). */
  norm: number | null;
  /** Points contributed to the score: 100 * weight * norm (0 when missing). */
  points: number;
}

export interface RiskResult {
  /** 0-100, or null when density is missing. */
  score: number | null;
  level: RiskLevel | null;
  /** True when a term with a non-zero weight was missing: the score is then a lower bound. */
  partial: boolean;
  /** Weighted terms that were missing. */
  missing: RiskTerm[];
  /** Why the score is null or partial; null for a full score. */
  reason: string | null;
  components: RiskComponent[];
}

export type EventProfileId = 'base' | 'concert' | 'religious-gathering' | 'stadium-egress' | 'transit';
export const EVENT_PROFILE_IDS: readonly EventProfileId[] = [
  'base',
  'concert',
  'religious-gathering',
  'stadium-egress',
  'transit',
];

/** A partial change to a config. `weights`, when given, must be complete (they must sum to 1). */
export interface RiskConfigPatch {
  weights?: RiskWeights;
  thresholds?: Partial<RiskThresholds>;
  references?: Partial<RiskReferences>;
  hysteresis?: Partial<HysteresisConfig>;
}

/** A time window in the settings' time zone: weekdays 0 (Sunday) to 6, from/to "HH:MM" (to may be "24:00"). */
export interface RiskSchedule {
  name: string;
  /** 0 = Sunday ... 6 = Saturday; a window that crosses midnight belongs to the day it starts on. */
  days: number[];
  from: string;
  to: string;
  /** Cameras it applies to; absent = all cameras. */
  cameras?: string[];
  /** Event profile to use while active (replaces the camera's own profile). */
  profile?: EventProfileId;
  overrides?: RiskConfigPatch;
}

export interface CameraRiskSettings {
  profile?: EventProfileId;
  overrides?: RiskConfigPatch;
}

/** Everything the settings module stores for risk (persistence and versioning are not this library's). */
export interface RiskSettings {
  /** IANA time zone the schedules are written in. */
  timeZone: string;
  defaults: RiskConfig;
  /** Event profiles as patches on `defaults` (the built-in ones unless replaced). */
  profiles: Record<EventProfileId, RiskConfigPatch>;
  cameras: Record<string, CameraRiskSettings>;
  schedules: RiskSchedule[];
}
