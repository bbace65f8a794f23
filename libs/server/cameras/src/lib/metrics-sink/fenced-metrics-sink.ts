import type { MetricRecord } from '@crowdsafe/server-database';
import type { MetricsSink } from '@crowdsafe/server-metrics';

/** The fencing token this process holds for a camera now (CameraOwnership.fenceOf), undefined when it holds none. */
export type FenceOf = (cameraId: string) => number | undefined;

/**
 * A camera runtime's metrics sink in distributed mode: rows pass to the shared writer only while this process still
 * holds the camera's lease with the fencing token the runtime was started under. A former owner whose lease ran
 * out (stalled, cut off from Redis, being handed over) can no longer write seconds the new owner is writing: its
 * rows are refused and counted. Embedded mode (no leases) passes everything through.
 */
export class FencedMetricsSink implements MetricsSink {
  private refusedRows = 0;
  private warned = false;

  constructor(
    private readonly inner: MetricsSink,
    private readonly cameraId: string,
    private readonly token: number,
    private readonly fenceOf: FenceOf,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  /** Rows refused because the fencing token was no longer held. */
  get refused(): number {
    return this.refusedRows;
  }

  /** True while this process still holds the camera with the token this sink was created for. */
  holds(): boolean {
    return this.fenceOf(this.cameraId) === this.token;
  }

  write(row: MetricRecord): boolean {
    if (row.cameraId !== this.cameraId || !this.holds()) {
      this.refusedRows++;
      if (!this.warned) {
        this.warned = true;
        this.warn(`camera ${this.cameraId}: metric rows refused, fencing token ${this.token} is no longer held here (now ${String(this.fenceOf(this.cameraId) ?? 'none')})`);
      }
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
