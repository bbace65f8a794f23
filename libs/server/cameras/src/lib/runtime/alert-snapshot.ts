// The annotated JPEG saved with an alert: the triggering frame, downscaled like live frames, with the person boxes,
// confirmed track ids, the counting ROI and the analytics zones drawn on it (an SVG overlay composited by sharp).
import sharp from 'sharp';
import type { Detection, RawFrame, RiskLevel, TrackedPerson } from '@crowdsafe/contracts';
import { type CameraAnalyticsSetup, frameScale, rescalePolygon } from '@crowdsafe/pipeline';
import { type AnnotationSettings, boxColor, boxesSvg, DEFAULT_ANNOTATION } from './annotation';
import { annotatedBoxes, xmlEscape } from './live-frame-encoder';

export interface AlertSnapshotOverlay {
  detections: readonly Detection[];
  tracks: readonly TrackedPerson[];
  /** Counting ROI, normalised 0..1 (null: whole frame, not drawn). */
  roi: ReadonlyArray<readonly [number, number]> | null;
  /** Analytics zones, polygons in source-frame pixels. */
  zones: ReadonlyArray<{ name: string; polygon: ReadonlyArray<readonly [number, number]> }>;
  /** Spec 6.4: boxes coloured by this risk level, the camera's annotation settings, tracks' frames/s (arrows). */
  annotation?: { level: RiskLevel | null; settings: AnnotationSettings; fps: number };
}

/** Box colour of a snapshot without a risk level (the alert's trigger is still worth a warning colour). */
const SNAPSHOT_COLOR = '#ff2d2d';

const pts = (p: ReadonlyArray<readonly [number, number]>, sx: number, sy: number): string =>
  p.map(([x, y]) => `${(x * sx).toFixed(1)},${(y * sy).toFixed(1)}`).join(' ');

/** The overlay as an SVG of the encoded frame's size (exported for tests). */
export function alertOverlaySvg(width: number, height: number, scale: number, o: AlertSnapshotOverlay): string {
  const parts: string[] = [];
  if (o.roi && o.roi.length >= 3) parts.push(`<polygon points="${pts(o.roi, width, height)}" fill="none" stroke="#ffd400" stroke-width="2" stroke-dasharray="8 4"/>`);
  for (const z of o.zones.slice(0, 64)) {
    if (z.polygon.length < 3) continue;
    const [x0, y0] = z.polygon[0] ?? [0, 0];
    parts.push(`<polygon points="${pts(z.polygon, scale, scale)}" fill="#00a0ff" fill-opacity="0.12" stroke="#00a0ff" stroke-width="2"/>`);
    parts.push(`<text x="${(x0 * scale + 4).toFixed(1)}" y="${(y0 * scale + 16).toFixed(1)}" fill="#00a0ff" font-size="14" font-family="sans-serif">${xmlEscape(z.name.slice(0, 64))}</text>`);
  }
  const a = o.annotation;
  const settings = a?.settings ?? DEFAULT_ANNOTATION;
  const color = a?.level && settings.riskColors ? boxColor(a.level, settings) : SNAPSHOT_COLOR;
  parts.push(boxesSvg(annotatedBoxes(o.detections, o.tracks, scale, a?.fps ?? 0).slice(0, 2000), color, settings, 2, 12));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`;
}

/** Renders the annotated JPEG of `frame` (downscaled to at most maxWidth). */
export async function renderAlertSnapshot(frame: RawFrame, overlay: AlertSnapshotOverlay, opts: { maxWidth: number; quality: number }): Promise<Buffer> {
  const scale = frame.width > opts.maxWidth ? opts.maxWidth / frame.width : 1;
  const width = Math.round(frame.width * scale);
  const height = Math.round(frame.height * scale);
  // One pipeline: sharp composites after the resize (as the live encoder's annotated frame does).
  let img = sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } });
  if (scale !== 1) img = img.resize(width, height);
  const svg = Buffer.from(alertOverlaySvg(width, height, scale, overlay));
  return img
    .composite([{ input: svg, top: 0, left: 0 }])
    .jpeg({ quality: opts.quality, mozjpeg: false })
    .toBuffer();
}

/**
 * The snapshot of an alert event, rendered at most once and only when asked (null without a frame). The analytics
 * zones (calibration-frame pixels) are rescaled to the frame.
 */
export function lazyAlertSnapshot(
  frame: RawFrame | null,
  overlay: Omit<AlertSnapshotOverlay, 'zones'>,
  setup: CameraAnalyticsSetup,
  opts: { maxWidth: number; quality: number },
): () => Promise<Buffer | null> {
  let rendered: Promise<Buffer | null> | null = null;
  return () => {
    if (!frame) return Promise.resolve(null);
    rendered ??= (async () => {
      const zones = setup.state === 'on' ? setup.zones.map((z) => ({ name: z.name, polygon: rescalePolygon(z.polygon, frameScale(setup.calibration.frame, frame)) })) : [];
      return renderAlertSnapshot(frame, { ...overlay, zones }, opts);
    })();
    return rendered;
  };
}
