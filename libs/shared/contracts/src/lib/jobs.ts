import type { DetectOptions, Detection } from './detections';
import type { FrameRef } from './frames';

/** BullMQ queue names (and the in-process dispatcher's lanes). */
export const QueueName = {
  Inference: 'inference',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** Payload of `detect-batch`: up to N frames (possibly from several cameras) detected in one model run. */
export interface DetectBatchPayload {
  frames: FrameRef[];
  /** Per-camera options keyed by camera id. */
  options?: Record<string, DetectOptions>;
}

export interface FrameDetections {
  key: string;
  cameraId: string;
  seq: number;
  capturedAt: number;
  /** Person detections in source-frame pixels, highest score first. */
  detections: Detection[];
  /** True when the frame had expired from the store before the worker read it (counted, not an error). */
  missing?: boolean;
}

export interface DetectBatchResult {
  results: FrameDetections[];
  /** Which worker process handled the job (hostname:pid). */
  worker: string;
  timings: {
    /** Reading frames from the store. */
    fetchMs: number;
    /** Letterbox + tensor fill. */
    preprocessMs: number;
    /** session.run. */
    inferenceMs: number;
    /** Decode + NMS + rescale. */
    postprocessMs: number;
  };
}

/**
 * Every job in the system is one member of this union. A handler must exist for every name
 * (the worker/api fail at startup otherwise).
 */
export type JobItem = { name: 'detect-batch'; data: DetectBatchPayload };

export type JobName = JobItem['name'];
export const JOB_NAMES: readonly JobName[] = ['detect-batch'];

/** Payload type of job `N`. */
export type JobOf<N extends JobName> = Extract<JobItem, { name: N }>['data'];

/** Result type of job `N`. */
export interface JobResultMap {
  'detect-batch': DetectBatchResult;
}
export type JobResultOf<N extends JobName> = JobResultMap[N];

/** Which queue carries each job. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  'detect-batch': QueueName.Inference,
};
