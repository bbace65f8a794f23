import { AlertEventSink, type AlertEventContext, type EngineAlertEvent } from '@crowdsafe/server-core';
import { CameraFence, type FenceOf } from './camera-fence';

/**
 * A camera runtime's alert writes in distributed mode: alert events (opened, escalated, resolved, ...) reach the
 * alert store only while this process still holds the camera's lease with the fencing token the runtime was started
 * under. A former owner (lease expired or taken over) cannot open, escalate or close alerts the new owner's engine now
 * continues; its events are refused and counted.
 */
export class FencedAlertSink extends AlertEventSink {
  private readonly fence: CameraFence;

  constructor(
    private readonly inner: AlertEventSink,
    cameraId: string,
    token: number,
    fenceOf: FenceOf,
    warn?: (message: string) => void,
  ) {
    super();
    this.fence = new CameraFence(cameraId, token, fenceOf, warn);
  }

  get refused(): number {
    return this.fence.refused;
  }

  async handle(event: EngineAlertEvent, context?: AlertEventContext): Promise<void> {
    if (!this.fence.holds()) {
      this.fence.refuse('alert events');
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
