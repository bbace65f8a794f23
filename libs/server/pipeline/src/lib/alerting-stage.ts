// Alerting: one camera's AlertEngine (the single truth of its alert lifecycle), fed in time order. Pure: events are
// returned, the runtime hands them to its alert sink.
import { type Alert, AlertEngine, type ActionResult, type AlertEngineOptions, type AlertEvent, type AlertTiming, type MetricsUpdate, type RoutingTable, type TriggerThresholds } from '@crowdsafe/alerting';

export interface CameraAlertingOptions {
  engine?: AlertEngineOptions;
  snapshot?: { maxWidth: number; quality: number };
}

export class AlertingStage {
  private readonly engine: AlertEngine;
  /** Latest time fed to the engine (updates must be in time order). */
  private at = -Infinity;

  constructor(
    private readonly cameraId: string,
    options: AlertEngineOptions | undefined,
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    this.engine = new AlertEngine({ maxResolvedHistory: 200, ...options });
  }

  /** One update (clamped to the last one's time: the engine needs time order). Never throws: a failure is warned. */
  update(u: MetricsUpdate): AlertEvent[] {
    if (u.at < this.at) u = { ...u, at: this.at };
    this.at = u.at;
    try {
      return this.engine.update(u);
    } catch (err) {
      this.warn(`camera ${this.cameraId}: alert engine failed: ${String(err)}`);
      return [];
    }
  }

  /** The time the next status-only update is fed at: `at`, or the last update's when that is later. */
  statusTime(at: number): number {
    return Math.max(at, this.at);
  }

  /** Alerts an earlier engine of this camera left active (a take-over): this engine continues them. */
  adopt(alerts: readonly Alert[], nowMs: number): number {
    return this.engine.adopt(alerts, nowMs);
  }

  action(kind: 'acknowledge' | 'resolve', alertId: string, user: string, nowMs: number, notes?: string): ActionResult {
    return kind === 'acknowledge' ? this.engine.acknowledge(alertId, user, nowMs, notes) : this.engine.resolve(alertId, user, nowMs, notes);
  }

  /** Cooldown / all-clear delay, applied live; a bad value changes nothing (warned, false). */
  setTiming(timing: Partial<AlertTiming>): boolean {
    try {
      this.engine.setTiming(timing);
      return true;
    } catch (err) {
      this.warn(`camera ${this.cameraId}: alert timing not applied (kept the previous one): ${String(err)}`);
      return false;
    }
  }

  /** Thresholds / routing, applied live; false = not applied (warned). */
  setPolicy(policy: { thresholds?: Partial<TriggerThresholds>; routing?: RoutingTable }): boolean {
    try {
      if (policy.thresholds) this.engine.setThresholds(policy.thresholds);
      if (policy.routing) this.engine.setRouting(policy.routing);
      return true;
    } catch (err) {
      this.warn(`camera ${this.cameraId}: alert policy not applied: ${String(err)}`);
      return false;
    }
  }

  timing(): AlertTiming {
    return this.engine.timing();
  }

  stats(): { cameras: number; slots: number; activeAlerts: number; resolvedIds: number } {
    return this.engine.stats();
  }
}
