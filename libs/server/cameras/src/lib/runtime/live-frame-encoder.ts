import sharp from 'sharp';
import type { BBox, Detection, RawFrame, RiskLevel, TrackedPerson } from '@crowdsafe/contracts';
import { type AnnotatedBox, type AnnotationSettings, boxColor, boxesSvg, DEFAULT_ANNOTATION } from './annotation';

export interface EncodedLiveFrame {
  jpeg: Buffer;
  width: number;
  height: number;
  /** Detections rescaled to the encoded frame's pixels. */
  detections: Detection[];
}

/** Scales a pixel length to the live frame's size, rounded to 0.1 px (plenty for drawing, smaller messages). */
export function scalePx(v: number, scale: number): number {
  return Math.round(v * scale * 10) / 10;
}

/** A box in source-frame pixels mapped to the live frame's pixels. */
export function scaleBox(b: BBox, scale: number): BBox {
  return { x1: scalePx(b.x1, scale), y1: scalePx(b.y1, scale), x2: scalePx(b.x2, scale), y2: scalePx(b.y2, scale) };
}

/** What is burnt into an annotated (MJPEG) frame, in SOURCE-frame pixels; zones in their own frame's pixels. */
export interface LiveOverlay {
  detections: readonly Detection[];
  /** Confirmed tracks (boxes + ids); drawn instead of the raw detections when present. */
  tracks: readonly TrackedPerson[];
  /** Zone outlines: polygons in the pixels of `frame` (the calibration frame). */
  zones?: { frame: { width: number; height: number }; polygons: ReadonlyArray<{ name: string; polygon: ReadonlyArray<readonly [number, number]> }> };
  count: number;
  /** Spec 6.4: the camera's risk level (box colour), its annotation settings, and the tracks' processing rate (frames/s, for arrows). */
  annotation?: { level: RiskLevel | null; settings: AnnotationSettings; fps: number };
}

/** Boxes to draw in output pixels: confirmed tracks (id, score, velocity per second) or else the raw detections. */
export function annotatedBoxes(detections: readonly Detection[], tracks: readonly TrackedPerson[], scale: number, fps: number): AnnotatedBox[] {
  if (tracks.length) {
    return tracks.map((t) => ({
      box: scaleBox(t.box, scale),
      id: t.id,
      score: t.score,
      ...(t.velocity ? { velocity: { vx: t.velocity.vx * fps * scale, vy: t.velocity.vy * fps * scale } } : {}),
    }));
  }
  return detections.map((d) => ({ box: scaleBox(d.box, scale), score: d.score }));
}

/** The variants of one frame a live encode produced: the clean JPEG (socket viewers draw the overlay themselves) and/or the annotated one (MJPEG). */
export interface EncodedLiveVariants {
  width: number;
  height: number;
  /** Downscale factor applied to the source frame. */
  scale: number;
  jpeg?: Buffer;
  annotatedJpeg?: Buffer;
  detections: Detection[];
}

/**
 * Where annotated live frames go besides the socket gateway (the MJPEG endpoint). The runtime encodes the annotated
 * variant only while `wantsFrames` is true, once per frame for all of that camera's viewers.
 */
export abstract class LiveFrameSink {
  abstract wantsFrames(cameraId: string): boolean;
  abstract publish(cameraId: string, frame: { seq: number; capturedAt: number; jpeg: Buffer }): void;
}

/** Escapes text for an SVG overlay (also used by the alert snapshot's overlay). */
export const xmlEscape = (s: string): string => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
const r1 = (v: number) => Math.round(v * 10) / 10;

/** The overlay as an SVG the size of the encoded frame (boxes with track ids, zone outlines, the count). */
export function overlaySvg(overlay: LiveOverlay, width: number, height: number, scale: number): string {
  const parts: string[] = [];
  const stroke = Math.max(1, Math.round(width / 400));
  const font = Math.max(10, Math.round(width / 50));
  for (const z of overlay.zones?.polygons ?? []) {
    const sx = width / (overlay.zones?.frame.width ?? width);
    const sy = height / (overlay.zones?.frame.height ?? height);
    const pts = z.polygon.map(([x, y]) => `${r1(x * sx)},${r1(y * sy)}`).join(' ');
    parts.push(`<polygon points="${pts}" fill="none" stroke="#ffc107" stroke-width="${stroke}" stroke-dasharray="${stroke * 4},${stroke * 2}"/>`);
    const [x0, y0] = z.polygon[0] ?? [0, 0];
    parts.push(`<text x="${r1(x0 * sx + 3)}" y="${r1(y0 * sy + font)}" fill="#ffc107" font-size="${font}" font-family="sans-serif">${xmlEscape(z.name)}</text>`);
  }
  const a = overlay.annotation;
  const settings = a?.settings ?? DEFAULT_ANNOTATION;
  parts.push(boxesSvg(annotatedBoxes(overlay.detections, overlay.tracks, scale, a?.fps ?? 0), boxColor(a?.level, settings), settings, stroke, font));
  parts.push(`<text x="6" y="${font + 4}" fill="#ffffff" stroke="#000000" stroke-width="0.6" font-size="${font}" font-family="sans-serif">count ${overlay.count}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`;
}

/** Encodes frames for live viewers: downscale to maxWidth and JPEG, boxes rescaled to match. */
export class LiveFrameEncoder {
  /** Encodes run (one per frame, whatever the number of viewers or variants): monitoring and tests. */
  encodes = 0;

  constructor(
    private readonly maxWidth: number,
    private readonly quality: number,
  ) {}

  async encode(frame: RawFrame, detections: Detection[]): Promise<EncodedLiveFrame> {
    const v = await this.encodeVariants(frame, detections, { clean: true });
    return { jpeg: v.jpeg as Buffer, width: v.width, height: v.height, detections: v.detections };
  }

  /**
   * One encode of a frame for every live viewer: the frame is downscaled once, then compressed as the clean JPEG
   * (when `clean`) and/or with the overlay burnt in (when `overlay` is given).
   */
  async encodeVariants(frame: RawFrame, detections: Detection[], want: { clean: boolean; overlay?: LiveOverlay }): Promise<EncodedLiveVariants> {
    this.encodes++;
    const scale = frame.width > this.maxWidth ? this.maxWidth / frame.width : 1;
    const width = Math.round(frame.width * scale);
    const height = Math.round(frame.height * scale);
    const raw = { width: frame.width, height: frame.height, channels: 3 as const };
    const jpegOpts = { quality: this.quality, mozjpeg: false };
    let pixels = frame.data;
    let pixelsRaw = raw;
    if (scale !== 1 && want.clean && want.overlay) {
      // Both variants: resize once.
      pixels = await sharp(frame.data, { raw }).resize(width, height).raw().toBuffer();
      pixelsRaw = { width, height, channels: 3 };
    }
    const base = () => {
      const img = sharp(pixels, { raw: pixelsRaw });
      return pixelsRaw.width !== width ? img.resize(width, height) : img;
    };
    const [jpeg, annotatedJpeg] = await Promise.all([
      want.clean ? base().jpeg(jpegOpts).toBuffer() : undefined,
      want.overlay ? base().composite([{ input: Buffer.from(overlaySvg(want.overlay, width, height, scale)), top: 0, left: 0 }]).jpeg(jpegOpts).toBuffer() : undefined,
    ]);
    return {
      width,
      height,
      scale,
      ...(jpeg ? { jpeg } : {}),
      ...(annotatedJpeg ? { annotatedJpeg } : {}),
      detections: detections.map((d) => ({ ...d, box: scaleBox(d.box, scale) })),
    };
  }
}
