import type { MetricsSink } from '@crowdsafe/pipeline';

/** Today's metrics write (the metrics service's batched writer) behind the pipeline's MetricsSink port. */
export function metricsServiceSink(service: { enqueue(row: Parameters<MetricsSink['write']>[0]): unknown }): MetricsSink {
  return { write: (row) => void service.enqueue(row) };
}
