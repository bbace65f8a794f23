import sharp from 'sharp';
import type { BBox, Detection, RawFrame } from '@crowdsafe/contracts';

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

/** Encodes frames for live viewers: downscale to maxWidth and JPEG, boxes rescaled to match. */
export class LiveFrameEncoder {
  constructor(
    private readonly maxWidth: number,
    private readonly quality: number,
  ) {}

  async encode(frame: RawFrame, detections: Detection[]): Promise<EncodedLiveFrame> {
    const scale = frame.width > this.maxWidth ? this.maxWidth / frame.width : 1;
    const width = Math.round(frame.width * scale);
    const height = Math.round(frame.height * scale);
    let img = sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } });
    if (scale !== 1) img = img.resize(width, height);
    const jpeg = await img.jpeg({ quality: this.quality, mozjpeg: false }).toBuffer();
    return { jpeg, width, height, detections: detections.map((d) => ({ ...d, box: scaleBox(d.box, scale) })) };
  }
}
