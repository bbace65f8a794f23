// The annotated JPEG saved with an alert: the triggering frame, downscaled like live frames, with the person boxes,
// confirmed track ids, the counting ROI and the analytics zones drawn on it (an SVG overlay composited by sharp).
import sharp from 'sharp';
import type { Detection, RawFrame, TrackedPerson } from '@crowdsafe/contracts';
import { scaleBox, xmlEscape } from './live-frame-encoder';

export interface AlertSnapshotOverlay {
  detections: readonly Detection[];
  tracks: readonly TrackedPerson[];
  /** Counting ROI, normalised 0..1 (null: whole frame, not drawn). */
  roi: ReadonlyArray<readonly [number, number]> | null;
  /** Analytics zones, polygons in source-frame pixels. */
  zones: ReadonlyArray<{ name: string; polygon: ReadonlyArray<readonly [number, number]> }>;
}

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
  const tracked = o.tracks.length > 0;
  const boxes = tracked ? o.tracks.map((t) => ({ box: scaleBox(t.box, scale), label: `#${t.id}` })) : o.detections.map((d) => ({ box: scaleBox(d.box, scale), label: '' }));
  for (const { box, label } of boxes.slice(0, 2000)) {
    const w = Math.max(0, box.x2 - box.x1);
    const h = Math.max(0, box.y2 - box.y1);
    parts.push(`<rect x="${box.x1}" y="${box.y1}" width="${w}" height="${h}" fill="none" stroke="#ff2d2d" stroke-width="2"/>`);
    if (label) parts.push(`<text x="${box.x1 + 2}" y="${Math.max(12, box.y1 - 3)}" fill="#ff2d2d" font-size="12" font-family="sans-serif">${label}</text>`);
  }
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
