/** Axis-aligned box in source-frame pixels: (x1, y1) top-left, (x2, y2) bottom-right. */
export interface BBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** One detected object in one frame (person only, after NMS), in source-frame pixels. */
export interface Detection {
  box: BBox;
  /** Class confidence 0..1. */
  score: number;
  /** COCO class id (0 = person). */
  classId: number;
}

/** Per-frame detection options; omitted fields take the configured defaults. */
export interface DetectOptions {
  /** Minimum class confidence, 0..1 (default 0.5). */
  confidence?: number;
  /** NMS IoU threshold, 0..1 (default 0.7). */
  iou?: number;
  /** Maximum detections kept per frame after NMS (default from config; never silently 300). */
  maxDetections?: number;
}

/** How a count was obtained. Later issues add dense estimators. */
export type CountMethod = 'detection' | 'tracking' | 'grid-estimate' | 'density-model' | 'fused';
