// Pure risk engine: score, per-camera level with hysteresis, thresholds config and density forecasting (no I/O).
export * from './lib/types';
export { computeRisk, levelForScore, normalizeTerms, crowdingFactor } from './lib/score';
export { RiskLevelTracker, type RiskLevelUpdate } from './lib/tracker';
export {
  DEFAULT_RISK_CONFIG,
  DEFAULT_RISK_SETTINGS,
  EVENT_PROFILES,
  WEIGHT_SUM_TOLERANCE,
  applyPatch,
  checkRiskConfig,
  validateRiskConfig,
  resolveRiskConfig,
  scheduleActive,
  localTime,
  parseHhMm,
  type ResolvedRiskConfig,
  type RiskConfigIssue,
  type RiskConfigValidation,
} from './lib/config';
export {
  forecastDensity,
  forecastWindow,
  residualLag1,
  RHO_MAX,
  RHO_MIN_SAMPLES,
  earlyWarning,
  earlyWarningFromForecast,
  DensityHistory,
  DEFAULT_FORECAST_OPTIONS,
  DEFAULT_EARLY_WARNING_OPTIONS,
  type DensitySample,
  type DensityForecast,
  type ForecastPoint,
  type ForecastOptions,
  type EarlyWarning,
  type EarlyWarningOptions,
} from './lib/forecast';
