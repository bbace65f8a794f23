import type { InferenceJobDone } from '@crowdsafe/server-ai';
import { PassCapacityMeter, type PassBudgetAllocator } from '@crowdsafe/vision';

/** What the feed needs of the InferenceClient: its finished jobs. */
export interface InferenceJobSource {
  onJob(fn: (job: InferenceJobDone) => void): () => void;
}

/**
 * Makes the process's pass budget follow the detector's measured throughput: every detect-batch job this process
 * sent (embedded: the in-process queue; distributed: BullMQ workers, round trips including queue lateness) feeds a
 * PassCapacityMeter, whose estimate becomes the allocator's measured capacity. With DETECT_PASS_BUDGET set the
 * allocator keeps that total (the meter still runs, for `meter.passesPerSecond`). Returns the unsubscribe.
 */
export function followMeasuredCapacity(inference: InferenceJobSource, allocator: PassBudgetAllocator, meter = new PassCapacityMeter()): { meter: PassCapacityMeter; stop: () => void } {
  const stop = inference.onJob((job) => allocator.setMeasuredCapacity(meter.observe(job)));
  return { meter, stop };
}
