import { basename } from 'node:path';
import type { DetectOptions, Detection, RawFrame } from '@crowdsafe/contracts';

/** What was loaded, for logs, health endpoints and job results. */
export interface DetectorInfo {
  /** Absolute model path. */
  path: string;
  /** sha256 of the model file (hex). */
  sha256: string;
  inputName: string;
  outputName: string;
  /** Model input size (the letterbox target). */
  inputSize: { width: number; height: number };
  /** Class names by class id. */
  classes: string[];
  /** The class id counted as a person. */
  personClassId: number;
  /** True when the batch dimension is symbolic: a whole batch runs in one session.run. */
  dynamicBatch: boolean;
  /** Fixed batch size of the export (when not dynamic); frames run in chunks of this size. */
  fixedBatch?: number;
  provider: 'cpu' | 'cuda';
  producer?: string;
  /** Ultralytics version that exported the model, when the metadata says. */
  exporterVersion?: string;
  /** onnxruntime session options in use, when they were measured/cached/forced at load (CPU provider). */
  session?: { level: 'disabled' | 'basic' | 'extended' | 'all'; threads: number; source: 'cache' | 'measured' | 'forced'; medianMs?: number; tuningMs?: number; summary: string };
}

export interface DetectorTimings {
  /** Resize + letterbox + tensor fill. */
  preprocessMs: number;
  /** session.run. */
  inferenceMs: number;
  /** Decode + NMS + rescale. */
  postprocessMs: number;
}

export interface DetectorRun {
  /** One list per input frame (same order), person detections in source pixels, highest score first. */
  detections: Detection[][];
  timings: DetectorTimings;
}

/**
 * Person detector (DI token). The ONNX YOLO implementation is the only one today; dense-crowd estimators can
 * implement the same contract later.
 */
export abstract class PersonDetector {
  abstract readonly info: DetectorInfo;
  /** Detect people in each frame. `options[i]` applies to `frames[i]`; omitted fields take the defaults. */
  abstract detect(frames: readonly RawFrame[], options?: readonly (DetectOptions | undefined)[]): Promise<DetectorRun>;
  abstract close(): Promise<void>;

  /** Nest hook: released last, after job consumers stopped in onModuleDestroy. */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}

/** e.g. `yolo11n.onnx (640x640, 80 classes, dynamic batch, cpu)`. */
export function describeDetector(info: DetectorInfo): string {
  const batch = info.dynamicBatch ? 'dynamic batch' : `static batch ${info.fixedBatch ?? 1}`;
  return `${basename(info.path)} (${info.inputSize.width}x${info.inputSize.height}, ${info.classes.length} classes, ${batch}, ${info.provider})`;
}
