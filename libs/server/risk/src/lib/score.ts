import type { RiskLevel } from '@crowdsafe/contracts';
import type { RiskComponent, RiskConfig, RiskInput, RiskResult, RiskTerm, RiskThresholds } from './types';
import { RISK_TERMS } from './types';

const clamp01 = (x: number): number => (x <= 0 ? 0 : x >= 1 ? 1 : x);
const finite = (x: number | null | undefined): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/** Level of a score: SAFE < caution <= CAUTION < warning <= WARNING < critical <= CRITICAL. */
export function levelForScore(score: number, t: RiskThresholds): RiskLevel {
  if (score >= t.critical) return 'CRITICAL';
  if (score >= t.warning) return 'WARNING';
  if (score >= t.caution) return 'CAUTION';
  return 'SAFE';
}

/**
 * How "crowded" a density is, 0..1: 0 below `crowdingFrom`, 1 at and above `crowdingFull`, linear in between.
 * Defaults 1.08 -> 2.15 p/m² are Fruin's walkway LOS E and F lower bounds: below LOS E people can still pick
 * their speed, so a slow or standing crowd there (an empty hall, a relaxed queue) is a choice, not congestion;
 * from LOS F (breakdown, stop-and-go) low speed is forced. A ramp rather than a step keeps the score continuous.
 */
export function crowdingFactor(density: number, cfg: RiskConfig): number {
  const { crowdingFrom, crowdingFull } = cfg.references;
  if (density >= crowdingFull) return 1;
  if (density <= crowdingFrom) return 0;
  return (density - crowdingFrom) / (crowdingFull - crowdingFrom);
}

/**
 * Normalised terms (null when the input is missing). density_norm = min(1, d/ref); surge_norm = clamp(s/ref, 0, 1)
 * (falling density = 0); velocity_inverse_norm = clamp(1 - v/freeSpeed, 0, 1) * crowding(d) (1 at standstill, 0 at
 * free walking speed, linear); pressure_norm = clamp(P/ref, 0, 1) when d >= pressureDensityFloor else 0 (at low
 * density the velocity variance is only people walking different ways); counterFlow_norm = clamp(c/ref, 0, 1) *
 * crowding(d) (people passing each other in an empty hall is harmless).
 */
export function normalizeTerms(input: RiskInput, cfg: RiskConfig): Record<RiskTerm, number | null> {
  const r = cfg.references;
  const rawD = finite(input.density);
  const d = rawD === null ? null : Math.max(0, rawD);
  const s = finite(input.surge);
  const v = finite(input.velocity);
  const p = finite(input.pressure);
  const c = finite(input.counterFlowIndex);
  const crowd = d === null ? null : crowdingFactor(d, cfg);
  return {
    density: d === null ? null : clamp01(d / r.density),
    surge: s === null ? null : clamp01(s / r.surge),
    velocity: v === null || crowd === null ? null : clamp01(1 - Math.max(0, v) / r.freeSpeed) * crowd,
    pressure: p === null || d === null ? null : d >= r.pressureDensityFloor ? clamp01(p / r.pressure) : 0,
    counterFlow: c === null || crowd === null ? null : clamp01(c / r.counterFlow) * crowd,
  };
}

function rawOf(term: RiskTerm, input: RiskInput): number | null {
  switch (term) {
    case 'density':
      return finite(input.density);
    case 'surge':
      return finite(input.surge);
    case 'velocity':
      return finite(input.velocity);
    case 'pressure':
      return finite(input.pressure);
    case 'counterFlow':
      return finite(input.counterFlowIndex);
  }
}

/**
 * Risk score = 100 * sum(w_i * norm_i) over the terms (spec: w1 density + w2 surge + w3 velocity-inverse, plus the
 * optional pressure and counter-flow terms whose weights are 0 in the base profile). Density missing (camera not
 * calibrated): score and level are null with the reason. Another weighted term missing: it counts 0 and the result
 * is marked `partial` (a lower bound), naming the missing terms. Terms with weight 0 are never "missing".
 */
export function computeRisk(input: RiskInput, cfg: RiskConfig): RiskResult {
  const norms = normalizeTerms(input, cfg);
  const components: RiskComponent[] = RISK_TERMS.map((term) => {
    const weight = cfg.weights[term];
    const norm = norms[term];
    return { term, weight, raw: rawOf(term, input), norm, points: norm === null ? 0 : 100 * weight * norm };
  });
  if (norms.density === null) {
    return {
      score: null,
      level: null,
      partial: false,
      missing: ['density'],
      reason: 'no density: camera not calibrated (risk needs people/m²)',
      components,
    };
  }
  const missing = components.filter((c) => c.weight > 0 && c.norm === null).map((c) => c.term);
  const score = Math.min(100, Math.max(0, components.reduce((a, c) => a + c.points, 0)));
  return {
    score,
    level: levelForScore(score, cfg.thresholds),
    partial: missing.length > 0,
    missing,
    reason: missing.length > 0 ? `partial score (lower bound): missing ${missing.join(', ')}` : null,
    components,
  };
}
