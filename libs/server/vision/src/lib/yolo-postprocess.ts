import type { Detection } from '@crowdsafe/contracts';
import { letterboxToSource, type Letterbox } from './letterbox';
import { nms } from './nms';
import { decodeYoloOutput, type YoloOutputLayout } from './yolo-decode';

export interface YoloPostprocessOptions {
  classIds?: readonly number[];
  confidence: number;
  iou: number;
  maxDetections: number;
  numClasses?: number;
  layout?: YoloOutputLayout;
  agnostic?: boolean;
}

/**
 * decode -> NMS -> map back to the source frame, for one image of a batch.
 * Returns detections in source-frame pixels, highest score first. Boxes left with no area after clamping to
 * the frame (they lay entirely in the letterbox padding) are dropped: they cannot be a person in the frame.
 */
export function postprocessYolo(
  output: Float32Array,
  dims: readonly number[],
  batchIndex: number,
  lb: Letterbox,
  srcW: number,
  srcH: number,
  opts: YoloPostprocessOptions,
): Detection[] {
  const candidates = decodeYoloOutput(output, dims, batchIndex, opts);
  const kept = nms(candidates, opts.iou, opts.maxDetections, { agnostic: opts.agnostic });
  const out: Detection[] = [];
  for (const d of kept) {
    const box = letterboxToSource(d.box, lb, srcW, srcH);
    if (box.x2 > box.x1 && box.y2 > box.y1) out.push({ box, score: d.score, classId: d.classId });
  }
  return out;
}
