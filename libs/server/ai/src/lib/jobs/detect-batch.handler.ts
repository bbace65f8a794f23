import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import type { DetectBatchPayload, DetectBatchResult, FrameDetections, RawFrame } from '@crowdsafe/contracts';
import { PersonDetector } from '../detector/person-detector';
import { FrameStore } from '../frame-store/frame-store';
import { JobHandler } from './job-handler.decorator';

/** `hostname:pid` of this process, as reported in job results. */
export function workerId(): string {
  return `${hostname()}:${process.pid}`;
}

/**
 * `detect-batch`: read the referenced frames from the FrameStore and run the detector once over all of them.
 * Frames already gone from the store come back with `missing: true` (counted by the caller, not an error).
 */
@Injectable()
export class DetectBatchHandler {
  private readonly worker = workerId();

  constructor(
    private readonly frames: FrameStore,
    private readonly detector: PersonDetector,
  ) {}

  @JobHandler('detect-batch')
  async handle(payload: DetectBatchPayload): Promise<DetectBatchResult> {
    const refs = payload?.frames;
    if (!Array.isArray(refs)) throw new TypeError("detect-batch payload needs 'frames': FrameRef[]");

    const t = performance.now();
    const loaded = await Promise.all(refs.map((ref) => this.frames.get(ref)));
    const fetchMs = performance.now() - t;

    const present: RawFrame[] = [];
    for (const f of loaded) if (f) present.push(f);
    const run = present.length
      ? await this.detector.detect(
          present,
          present.map((f) => payload.options?.[f.cameraId]),
        )
      : { detections: [], timings: { preprocessMs: 0, inferenceMs: 0, postprocessMs: 0 } };

    let next = 0;
    const results: FrameDetections[] = refs.map((ref, i) => {
      const base = { key: ref.key, cameraId: ref.cameraId, seq: ref.seq, capturedAt: ref.capturedAt };
      return loaded[i] ? { ...base, detections: run.detections[next++] } : { ...base, detections: [], missing: true };
    });
    return { results, worker: this.worker, timings: { fetchMs, ...run.timings } };
  }
}
