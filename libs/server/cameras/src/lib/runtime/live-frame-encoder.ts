import sharp from 'sharp';
import type { Detection, RawFrame } from '@crowdsafe/contracts';

export interface EncodedLiveFrame {
  jpeg: Buffer;
  width: number;
  height: number;
  /** Detections rescaled to the encoded frame's pixels. */
  detections: Detection[];
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
    const r = (v: number) => Math.round(v * scale * 10) / 10;
    return {
      jpeg,
      width,
      height,
      detections: detections.map((d) => ({ ...d, box: { x1: r(d.box.x1), y1: r(d.box.y1), x2: r(d.box.x2), y2: r(d.box.y2) } })),
    };
  }
}
