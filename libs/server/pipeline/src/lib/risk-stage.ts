// Per-camera live risk: the closed second's analytics -> computeRisk -> RiskLevelTracker (hysteresis/dwell), with a
// bounded density history for the forecast and the early warning. One instance per CameraRuntime.
import type { LiveAnalytics, LiveRisk, RiskLevel } from '@crowdsafe/contracts';
import {
  computeRisk,
  DEFAULT_RISK_SETTINGS,
  DensityHistory,
  earlyWarningFromForecast,
  forecastDensity,
  resolveRiskConfig,
  RiskLevelTracker,
  validateRiskConfig,
  type RiskConfig,
  type RiskSettings,
} from '@crowdsafe/risk';

/**
 * A linear trend extrapolated 2-5 minutes can exceed what a crowd can physically reach; forecasts are capped at
 * ~10 people/m² (tightest packing reported for standing crowds, Still 2014) so the console never shows nonsense.
 */
const MAX_PHYSICAL_DENSITY = 10;

/** Density samples kept per camera (the forecast uses the last 60 s). */
export const RISK_HISTORY_SECONDS = 120;

export interface CameraRiskSecond {
  /** The event's `risk` (null without a score). */
  live: LiveRisk | null;
  /** Row columns: null without a score. */
  riskScore: number | null;
  riskLevel: RiskLevel | null;
  /** The row's metadata.risk (compact). */
  metadata: Record<string, unknown>;
}

const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/**
 * `settings.risk` (RiskSettings, validated with validateRiskConfig: invalid = the defaults, with the reason passed
 * to `warn` once). The effective config is resolved per second (schedules); hysteresis is the one at construction.
 */
export class CameraRisk {
  private settings: RiskSettings;
  private tracker: RiskLevelTracker;
  private readonly history = new DensityHistory(RISK_HISTORY_SECONDS);

  constructor(
    private readonly cameraId: string,
    raw: unknown,
    warn?: (message: string) => void,
    at: Date = new Date(),
  ) {
    let settings = DEFAULT_RISK_SETTINGS;
    if (raw !== undefined && raw !== null) {
      const v = validateRiskConfig(raw);
      if (v.ok) settings = v.value;
      else warn?.(`camera ${cameraId}: invalid settings.risk, using the default risk config: ${v.issues.map((i) => `${i.path ? `${i.path}: ` : ''}${i.message}`).join('; ')}`);
    }
    this.settings = settings;
    const cfg = this.configAt(at);
    this.tracker = new RiskLevelTracker(cfg.thresholds, cfg.hysteresis);
  }

  /**
   * Replaces the risk settings live (the settings API): validated like the constructor's; invalid = kept as they
   * were (returns the issues). The tracked level carries over; the hysteresis is the new config's.
   */
  setSettings(raw: unknown, at: Date = new Date()): { ok: true } | { ok: false; reason: string } {
    const v = validateRiskConfig(raw ?? undefined);
    if (!v.ok) return { ok: false, reason: v.issues.map((i) => `${i.path ? `${i.path}: ` : ''}${i.message}`).join('; ') };
    this.settings = v.value;
    const cfg = this.configAt(at);
    this.tracker = new RiskLevelTracker(cfg.thresholds, cfg.hysteresis, this.tracker.level);
    return { ok: true };
  }

  /** The effective config at an instant (per-camera overrides, profile and schedules applied). */
  effectiveConfig(at: Date = new Date()): RiskConfig {
    return this.configAt(at);
  }

  private configAt(at: Date): RiskConfig {
    return resolveRiskConfig(this.settings, this.cameraId, at).config;
  }

  /** The risk of one closed second (call in time order). */
  second(time: Date, analytics: LiveAnalytics | null): CameraRiskSecond {
    const cfg = this.configAt(time);
    const on = analytics?.status === 'on' ? analytics : null;
    const input = {
      density: on?.density ?? null,
      surge: on?.surge ?? null,
      velocity: on?.velocity ?? null,
      pressure: on?.pressureMax ?? null,
      counterFlowIndex: on?.counterFlowIndex ?? null,
    };
    const r = computeRisk(input, cfg);
    const t = time.getTime() / 1000;
    const tracked = this.tracker.update(t, r.score, cfg.thresholds);
    if (r.score === null) {
      const reason = analytics?.status === 'off' ? `no density: crowd analytics off (${analytics.reason ?? 'unknown reason'})` : r.reason;
      return { live: null, riskScore: null, riskLevel: null, metadata: { status: 'unavailable', reason } };
    }
    this.history.push(t, input.density);
    const samples = this.history.samples();
    const f = forecastDensity(samples, [120, 300]);
    // One Theil–Sen fit per second serves both the forecast and the early warning.
    const ew = earlyWarningFromForecast(f, cfg, { velocity: input.velocity, pressure: input.pressure, counterFlowIndex: input.counterFlowIndex });
    const score = round(r.score, 2);
    const live: LiveRisk = {
      score,
      level: tracked.level,
      partial: r.partial,
      ...(r.reason ? { reason: r.reason } : {}),
      components: r.components.filter((c) => c.weight > 0).map((c) => ({ term: c.term, points: round(c.points, 2) })),
      ...(f && f.points.length === 2 ? { forecast: liveForecast(f.points) } : {}),
      ...(ew ? { earlyWarningInS: round(ew.inS, 1) } : {}),
    };
    return {
      live,
      riskScore: score,
      riskLevel: tracked.level,
      metadata: {
        status: 'on',
        scoreLevel: r.level,
        partial: r.partial,
        ...(r.partial ? { missing: r.missing } : {}),
        ...(live.forecast ? { forecast: live.forecast } : {}),
        ...(ew ? { earlyWarningInS: live.earlyWarningInS, earlyWarning: ew.warning ? 'warning' : 'imminent' } : {}),
      },
    };
  }
}

/** The event's forecast: mean and 95 % interval per horizon (120 s, 300 s), capped at what a crowd can reach. */
function liveForecast(points: readonly { density: number; lower: number; upper: number }[]): NonNullable<LiveRisk['forecast']> {
  const cap = (v: number | undefined) => round(Math.min(MAX_PHYSICAL_DENSITY, Math.max(0, v ?? 0)), 3);
  const [a, b] = points;
  return {
    in120s: cap(a?.density),
    in300s: cap(b?.density),
    interval120s: [cap(a?.lower), cap(a?.upper)],
    interval300s: [cap(b?.lower), cap(b?.upper)],
  };
}
