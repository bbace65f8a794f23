import type { DensityCountPayload, FrameRef, RawFrame } from '@crowdsafe/contracts';
import type { DensityCounter } from '@crowdsafe/server-ai';
import { densityInputScale, type RoiPolygon } from '@crowdsafe/vision';
import type { CameraRuntimeDeps } from './camera-runtime';

/** The ROI's bounding box in pixels (padded by 2 %, clamped), or undefined when there is no ROI or it covers ~all of the frame. */
export function roiRegion(roi: RoiPolygon | null | undefined, width: number, height: number): DensityCountPayload['region'] {
  if (!roi || roi.length < 3) return undefined;
  const xs = roi.map((p) => p[0]);
  const ys = roi.map((p) => p[1]);
  const pad = 0.02;
  const x0 = Math.max(0, Math.min(...xs) - pad);
  const y0 = Math.max(0, Math.min(...ys) - pad);
  const x1 = Math.min(1, Math.max(...xs) + pad);
  const y1 = Math.min(1, Math.max(...ys) + pad);
  if ((x1 - x0) * (y1 - y0) > 0.9) return undefined;
  const x = Math.floor(x0 * width);
  const y = Math.floor(y0 * height);
  const region = { x, y, width: Math.min(width - x, Math.ceil(x1 * width) - x), height: Math.min(height - y, Math.ceil(y1 * height) - y) };
  return region.width >= 8 && region.height >= 8 ? region : undefined;
}

/**
 * The runtime's density edge: each census is a `density-count` job (on the inference workers with REDIS_URL,
 * in-process otherwise) on the frame already in the frame store (`refOf`), limited to the ROI's bounding box, at the
 * input scale chosen from the camera's recent person sizes (densityInputScale; FIDT_MAX_SIDE is the compute cap).
 */
export function densityCensusOf(
  client: Pick<DensityCounter, 'count' | 'maxSide'>,
  refOf: (frame: RawFrame) => Promise<FrameRef>,
  roi?: RoiPolygon | null,
): NonNullable<CameraRuntimeDeps['countDensity']> {
  return async (frame, hints) => {
    const region = roiRegion(roi, frame.width, frame.height);
    const s = densityInputScale(hints?.personSizes ?? [], { frameWidth: region?.width ?? frame.width, frameHeight: region?.height ?? frame.height, maxSide: client.maxSide });
    const ref = await refOf(frame);
    const r = await client.count({ cameraId: frame.cameraId, frame: ref, ...(region ? { region } : {}), scale: s.scale, maxSide: client.maxSide });
    return { estimate: r.estimate, points: r.points };
  };
}
