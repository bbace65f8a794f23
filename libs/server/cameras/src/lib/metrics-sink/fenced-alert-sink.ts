import { AlertEventSink, type AlertEventContext, type EngineAlertEvent } from '@crowdsafe/server-core';
import type { FenceOf } from './fenced-metrics-sink';

/**
 * A camera runtime's alert writes in distributed mode: alert events (opened, escalated, resolved, ...) reach the
 * alert store only while this process still holds the camera's lease with the fencing token the runtime was started
 * under. A former owner (lease expired or taken over) cannot open, escalate or close alerts the new owner's engine now
 * continues; its events are refused and counted.
 */
export class FencedAlertSink extends AlertEventSink {
  private refusedEvents = 0;
  private warned = false;

  constructor(
    private readonly inner: AlertEventSink,
    private readonly cameraId: string,
    private readonly token: number,
    private readonly fenceOf: FenceOf,
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    super();
  }

  get refused(): number {
    return this.refusedEvents;
  }

  async handle(event: EngineAlertEvent, context?: AlertEventContext): Promise<void> {
    if (this.fenceOf(this.cameraId) !== this.token) {
      this.refusedEvents++;
      if (!this.warned) {
        this.warned = true;
        this.warn(`camera ${this.cameraId}: alert events refused, fencing token ${this.token} is no longer held here`);
      }
      return;
    }
    await this.inner.handle(event, context);
  }
}

/** The alert sink for one camera runtime: `inner` itself without leases (embedded), else fenced by the token held at start. */
export function alertSinkFor(inner: AlertEventSink, cameraId: string, fenceOf: FenceOf | null, warn?: (message: string) => void): AlertEventSink {
  if (!fenceOf) return inner;
  return new FencedAlertSink(inner, cameraId, fenceOf(cameraId) ?? -1, fenceOf, warn);
}
