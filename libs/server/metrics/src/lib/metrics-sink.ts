import type { MetricRecord } from '@crowdsafe/server-database';

/**
 * Where a camera's per-second metric rows go. Implementations are idempotent per (camera, second) — the metrics
 * primary key (camera_id, time) with a multi-row INSERT ... ON CONFLICT — batched, and buffered in memory (bounded,
 * drops counted) through a database outage, so a retried or replayed row never becomes a second row.
 */
export interface MetricsSink {
  /** Queues one row; false when the row is refused (malformed, or the writer is fenced off). */
  write(row: MetricRecord): boolean;
  /** Writes everything queued; resolves to the rows written (0 when the database is unreachable: kept for later). */
  flush(): Promise<number>;
}
