/**
 * Published crowd-safety reference values used by the analytics, with their sources.
 *
 * Fruin, J. J. (1971, rev. 1987) "Pedestrian Planning and Design", as tabulated in the Highway Capacity Manual
 * (HCM 2010, Exhibit 23-1 walkways) and the Transit Capacity and Quality of Service Manual (TCQSM, 3rd ed.,
 * Exhibit 10-12 queuing areas). Fruin's bands are in ft²/person and persons/ft/min; they are converted exactly
 * here (1 ft² = 0.09290304 m², 1 ft = 0.3048 m) and the metric figures quoted in comments are the rounded ones.
 */
import type { CrowdState, LevelOfService, StillBand, SurgeLevel } from './types';

const FT2 = 0.09290304;

/**
 * Fruin WALKWAY level of service by area per person (lower bound of each band, m²/person):
 *   A >= 35 ft² (3.25 m²)   free circulation        (density < 0.31 p/m²)
 *   B >= 25 ft² (2.32 m²)   minor conflicts         (0.31 - 0.43 p/m²)
 *   C >= 15 ft² (1.39 m²)   speed restricted        (0.43 - 0.72 p/m²)
 *   D >= 10 ft² (0.93 m²)   most people restricted  (0.72 - 1.08 p/m²)
 *   E >=  5 ft² (0.46 m²)   shuffling, capacity     (1.08 - 2.15 p/m²)
 *   F <   5 ft² (< 0.46 m²) breakdown, stop-and-go  (> 2.15 p/m²)
 */
export const FRUIN_WALKWAY_M2_PER_PERSON: Readonly<Record<Exclude<LevelOfService, 'F'>, number>> = {
  A: 35 * FT2,
  B: 25 * FT2,
  C: 15 * FT2,
  D: 10 * FT2,
  E: 5 * FT2,
};

/**
 * Fruin QUEUING level of service by area per person (lower bound of each band, m²/person):
 *   A >= 13 ft² (1.21 m²)   free circulation through the queue
 *   B >= 10 ft² (0.93 m²)   restricted circulation
 *   C >=  7 ft² (0.65 m²)   personal space, movement disturbs others
 *   D >=  3 ft² (0.28 m²)   standing without touching is impossible
 *   E >=  2 ft² (0.19 m²)   touching unavoidable, no movement
 *   F <   2 ft² (< 0.19 m²) full body contact, potential for panic / crushing
 */
export const FRUIN_QUEUE_M2_PER_PERSON: Readonly<Record<Exclude<LevelOfService, 'F'>, number>> = {
  A: 13 * FT2,
  B: 10 * FT2,
  C: 7 * FT2,
  D: 3 * FT2,
  E: 2 * FT2,
};

/**
 * Fruin WALKWAY level of service by flow per unit width (upper bound of each band, persons/metre/minute):
 *   A <= 23 (7 p/ft/min), B <= 33 (10), C <= 49 (15), D <= 66 (20), E <= 82 (25 p/ft/min: capacity), F > 82.
 */
export const FRUIN_WALKWAY_FLOW_P_PER_M_MIN: Readonly<Record<Exclude<LevelOfService, 'F'>, number>> = {
  A: 23,
  B: 33,
  C: 49,
  D: 66,
  E: 82,
};

/** Maximum walkway flow (Fruin LOS E upper bound, also the UK Green Guide's 82 p/m/min for level routes). */
export const MAX_FLOW_P_PER_M_MIN = 82;

const BANDS: readonly Exclude<LevelOfService, 'F'>[] = ['A', 'B', 'C', 'D', 'E'];

function losByArea(areaPerPerson: number, table: Readonly<Record<Exclude<LevelOfService, 'F'>, number>>): LevelOfService {
  for (const b of BANDS) if (areaPerPerson >= table[b]) return b;
  return 'F';
}

/** Walkway LOS for a density in people/m² (0 people -> A). */
export function fruinWalkwayLos(density: number): LevelOfService {
  return density > 0 ? losByArea(1 / density, FRUIN_WALKWAY_M2_PER_PERSON) : 'A';
}

/** Queuing LOS for a density in people/m² (0 people -> A). */
export function fruinQueueLos(density: number): LevelOfService {
  return density > 0 ? losByArea(1 / density, FRUIN_QUEUE_M2_PER_PERSON) : 'A';
}

/** Walkway LOS for a specific flow in people per metre of width per minute. */
export function fruinFlowLos(flowPerMPerMin: number): LevelOfService {
  for (const b of BANDS) if (flowPerMPerMin <= FRUIN_WALKWAY_FLOW_P_PER_M_MIN[b]) return b;
  return 'F';
}

/**
 * G. K. Still crowd-density bands ("Introduction to Crowd Science", CRC Press 2014, ch. 3/4; also
 * gkstill.com "Crowd density"): in a MOVING crowd densities above 4 people/m² are critical (loss of control over
 * one's movement, risk of progressive crowd collapse); in a STANDING (static) crowd, above 5 people/m².
 * Only the CRITICAL thresholds are Still's; the CAUTION / WARNING steps 1 and 2 people/m² below them are this
 * product's graded early warnings (configurable).
 */
export interface StillThresholds {
  moving: { caution: number; warning: number; critical: number };
  standing: { caution: number; warning: number; critical: number };
}

export const STILL_THRESHOLDS: StillThresholds = {
  moving: { caution: 2, warning: 3, critical: 4 },
  standing: { caution: 3, warning: 4, critical: 5 },
};

/** Still band of a density (strictly above a threshold enters the band). */
export function stillBand(density: number, state: CrowdState, t: StillThresholds = STILL_THRESHOLDS): StillBand {
  const b = state === 'moving' ? t.moving : t.standing;
  if (density > b.critical) return 'CRITICAL';
  if (density > b.warning) return 'WARNING';
  if (density > b.caution) return 'CAUTION';
  return 'SAFE';
}

/**
 * Surge bands on the rate of density increase, people/m²/s (product requirement for a 5 s regression window):
 * >= 0.5 warning, >= 0.8 critical.
 */
export const SURGE_WARNING_RATE = 0.5;
export const SURGE_CRITICAL_RATE = 0.8;

export function surgeLevel(rate: number, warning = SURGE_WARNING_RATE, critical = SURGE_CRITICAL_RATE): SurgeLevel {
  if (rate >= critical) return 'critical';
  if (rate >= warning) return 'warning';
  return 'none';
}

/**
 * Crowd pressure P = rho * Var(v) (Helbing, Johansson & Al-Abideen 2007, "Dynamics of crowd disasters: an
 * empirical study", Phys. Rev. E 75, 046109). In the Jamarat video analysed there, the transition to "crowd
 * turbulence" occurred where the local pressure exceeded about 0.02 /s². The paper's smoothing kernel is
 * f(r) = exp(-|r|² / R²) / (pi R²) with R ~ 1 m.
 */
export const HELBING_CRITICAL_PRESSURE = 0.02;
export const HELBING_KERNEL_RADIUS_M = 1;

/** Speed below which a crowd is stagnant / standing, m/s (product requirement). */
export const STAGNATION_SPEED_MPS = 0.2;
