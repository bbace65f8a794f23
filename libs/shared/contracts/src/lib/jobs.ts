import type { CountEstimate, DetectOptions, Detection } from './detections';
import type { FrameRef } from './frames';

/** BullMQ queue names (and the in-process dispatcher's lanes). */
export const QueueName = {
  Inference: 'inference',
  /** Density-model censuses: their own queue, so a slow census never holds a detection slot. */
  Density: 'density',
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

/** Payload of `density-count`: one density-model census of a camera's frame (a reference, never pixels). */
export interface DensityCountPayload {
  cameraId: string;
  /** The frame in the frame store (its cameraId must be `cameraId`). */
  frame: FrameRef;
  /** Part of the frame to count, in source pixels (e.g. the ROI's bounding box). Absent = the whole frame. */
  region?: { x: number; y: number; width: number; height: number };
  /** Resize factor of the model input (> 1 upscales far, small heads; chosen from the people's sizes). Absent = maxSide's rule. */
  scale?: number;
  /** Longest side of the model input (compute cap). Absent = the worker's FIDT_MAX_SIDE. */
  maxSide?: number;
}

export interface DensityCountResult {
  cameraId: string;
  seq: number;
  capturedAt: number;
  /** The census: method 'density-model' with its measured-bias range (count 0 when `missing`). */
  estimate: CountEstimate;
  /** Head positions in source-frame pixels (inside `region` when one was given). */
  points: Array<{ x: number; y: number }>;
  /** The model input actually run (resized and padded). */
  inputSize: { width: number; height: number };
  /** True when the frame had expired from the store before the worker read it. */
  missing?: boolean;
  worker: string;
  timings: { fetchMs: number; preprocessMs: number; inferenceMs: number; decodeMs: number };
}

/**
 * Every job in the system is one member of this union. A handler must exist for every name
 * (the worker/api fail at startup otherwise).
 */
export type JobItem = { name: 'detect-batch'; data: DetectBatchPayload } | { name: 'density-count'; data: DensityCountPayload };

export type JobName = JobItem['name'];
export const JOB_NAMES: readonly JobName[] = ['detect-batch', 'density-count'];

/** Payload type of job `N`. */
export type JobOf<N extends JobName> = Extract<JobItem, { name: N }>['data'];

/** Result type of job `N`. */
export interface JobResultMap {
  'detect-batch': DetectBatchResult;
  'density-count': DensityCountResult;
}
export type JobResultOf<N extends JobName> = JobResultMap[N];

/** Which queue carries each job. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  'detect-batch': QueueName.Inference,
  'density-count': QueueName.Density,
};
