import type { MetricRecord } from '@crowdsafe/server-database';
import type { MetricsSink } from '@crowdsafe/server-metrics';
import { CameraFence, type FenceOf } from './camera-fence';

export type { FenceOf } from './camera-fence';

/**
 * A camera runtime's metrics sink in distributed mode: rows pass to the shared writer only while this process still
 * holds the camera's lease with the fencing token the runtime was started under. A former owner whose lease ran
 * out (stalled, cut off from Redis, being handed over) can no longer write seconds the new owner is writing: its
 * rows are refused and counted. Embedded mode (no leases) passes everything through.
 */
export class FencedMetricsSink implements MetricsSink {
  private readonly fence: CameraFence;

  constructor(
    private readonly inner: MetricsSink,
    cameraId: string,
    token: number,
    fenceOf: FenceOf,
    warn?: (message: string) => void,
  ) {
    this.fence = new CameraFence(cameraId, token, fenceOf, warn);
  }

  /** Rows refused because the fencing token was no longer held. */
  get refused(): number {
    return this.fence.refused;
  }

  /** True while this process still holds the camera with the token this sink was created for. */
  holds(): boolean {
    return this.fence.holds();
  }

  write(row: MetricRecord): boolean {
    if (row.cameraId !== this.fence.cameraId || !this.fence.holds()) {
      this.fence.refuse('metric rows');
      return false;
    }
    return this.inner.write(row);
  }

  flush(): Promise<number> {
    return this.inner.flush();
  }
}

/**
 * The sink for one camera runtime: `inner` itself without leases (embedded mode), else fenced by the token held
 * when the camera starts. A camera started without a token (not leased here) writes nothing.
 */
export function metricsSinkFor(inner: MetricsSink, cameraId: string, fenceOf: FenceOf | null, warn?: (message: string) => void): MetricsSink {
  if (!fenceOf) return inner;
  return new FencedMetricsSink(inner, cameraId, fenceOf(cameraId) ?? -1, fenceOf, warn);
}
