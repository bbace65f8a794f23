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
  /**
   * Sliced (tiled) inference for small, far or dense people: 'off', 'on', or 'auto' (tiles when people are small
   * or the untiled count is high), or 'scheduled' (slices chosen per frame by the camera's scheduler, sent as
   * `slices`). Default 'off' for a bare detect call; cameras default to 'scheduled'.
   */
  tiling?: TilingMode;
  /**
   * Slices to run on this frame besides the global pass (the camera's DetectionScheduler picks them), source-frame
   * pixels. When present, `tiling` is ignored: the detector runs the global pass plus exactly these regions and merges
   * them (an empty list = the global pass only).
   */
  slices?: SliceRegion[];
}

/** A rectangle of the source frame run through the model as one input (integers, inside the frame). */
export interface SliceRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * 'scheduled' (the live default): the camera's DetectionScheduler sends the global pass plus the slices due on each
 * frame (DetectOptions.slices); without slices it is the global pass alone.
 */
export type TilingMode = 'off' | 'on' | 'auto' | 'scheduled';

/** A tracked person in one frame (BoT-SORT), in source-frame pixels. Only confirmed tracks carry an id >= 1. */
export interface TrackedPerson {
  id: number;
  box: BBox;
  score: number;
  /** Frames since the track was last matched to a detection (0 = matched this frame). */
  timeSinceUpdate: number;
  /** Kalman velocity of the box centre, pixels per frame. */
  velocity: { vx: number; vy: number };
}

/** A people count with its provenance and uncertainty; every count the product reports carries these. */
export interface CountEstimate {
  count: number;
  method: CountMethod;
  /** Plausible range (e.g. ±1 sigma, or the spread between estimators). */
  low: number;
  high: number;
}

/** How a count was obtained. Later issues add dense estimators. */
export type CountMethod = 'detection' | 'tiled-detection' | 'tracking' | 'density-model' | 'fused';
