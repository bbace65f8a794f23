/**
 * Test helper: renders floor markers (real dictionary codes) seen through a known ground -> image homography,
 * by inverse-mapping every output pixel (with supersampling for anti-aliased edges). Pure TS, no image library.
 */
import { inv3 } from '../linalg';
import type { Vec2 } from '../types';
import { markerBits, type ArucoDictionaryName, type RasterImage } from './detect';
import { markerWorldCorners } from './calibrate';

export interface SceneMarker {
  id: number;
  /** Edge of the black square, metres. */
  sizeM: number;
  center: Vec2;
  rotationDeg?: number;
}

export interface SceneSpec {
  width: number;
  height: number;
  /** Ground (metres) -> image (px) homography, row-major. */
  groundToImage: readonly number[];
  dictionary: ArucoDictionaryName;
  markers: readonly SceneMarker[];
  /** Output channels (default 3, RGB). */
  channels?: 1 | 3 | 4;
  /** Subsamples per pixel per axis (default 3). */
  supersample?: number;
  /** White quiet zone around the black square, in cells (default 1). */
  quietCells?: number;
  /** Std-dev of additive Gaussian-ish noise in grey levels (default 0), seeded. */
  noise?: number;
  seed?: number;
}

const FLOOR = 128;
const SKY = 190;
const WHITE = 235;
const BLACK = 25;

/** Ground-truth image corners of a scene marker (dictionary order), through the scene's homography. */
export function trueImageCorners(spec: Pick<SceneSpec, 'groundToImage'>, m: SceneMarker): Vec2[] {
  const h = spec.groundToImage;
  return markerWorldCorners(m.center, m.sizeM, m.rotationDeg ?? 0).map(([x, y]) => {
    const w = h[6] * x + h[7] * y + h[8];
    return [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w] as Vec2;
  });
}

export function renderScene(spec: SceneSpec): RasterImage {
  const { width, height, dictionary } = spec;
  const ch = spec.channels ?? 3;
  const ss = spec.supersample ?? 3;
  const quiet = spec.quietCells ?? 1;
  const g2i = spec.groundToImage;
  const i2g = inv3(g2i);
  if (!i2g) throw new Error('singular homography');
  // Sign of w for points in front of the camera: that of a marker centre (or the origin) mapped to the image.
  const ref = spec.markers[0]?.center ?? [0, 0];
  const wRef = g2i[6] * ref[0] + g2i[7] * ref[1] + g2i[8];
  const iRef = [
    (g2i[0] * ref[0] + g2i[1] * ref[1] + g2i[2]) / wRef,
    (g2i[3] * ref[0] + g2i[4] * ref[1] + g2i[5]) / wRef,
  ];
  const sideSign = Math.sign(i2g[6] * iRef[0] + i2g[7] * iRef[1] + i2g[8]);
  const ms = spec.markers.map((m) => {
    const bits = markerBits(dictionary, m.id);
    const r = ((m.rotationDeg ?? 0) * Math.PI) / 180;
    return { m, bits, cells: bits.length + 2, cos: Math.cos(r), sin: Math.sin(r) };
  });
  const shade = (x: number, y: number): number => {
    const w = i2g[6] * x + i2g[7] * y + i2g[8];
    if (!(w * sideSign > 1e-12)) return SKY;
    const gx = (i2g[0] * x + i2g[1] * y + i2g[2]) / w;
    const gy = (i2g[3] * x + i2g[4] * y + i2g[5]) / w;
    for (const { m, bits, cells, cos, sin } of ms) {
      const dx = gx - m.center[0];
      const dy = gy - m.center[1];
      const lx = cos * dx + sin * dy; // marker frame: x to its right, y to its top
      const ly = -sin * dx + cos * dy;
      const u = (lx / m.sizeM + 0.5) * cells; // cells from the left edge of the black square
      const v = (0.5 - ly / m.sizeM) * cells; // cells from the top edge
      if (u < -quiet || u >= cells + quiet || v < -quiet || v >= cells + quiet) continue;
      if (u < 0 || u >= cells || v < 0 || v >= cells) return WHITE;
      const col = Math.floor(u);
      const row = Math.floor(v);
      if (row === 0 || col === 0 || row === cells - 1 || col === cells - 1) return BLACK;
      return bits[row - 1][col - 1] ? WHITE : BLACK;
    }
    return FLOOR;
  };
  let seed = (spec.seed ?? 1) >>> 0;
  const rand = (): number => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const noise = spec.noise ?? 0;
  const data = new Uint8Array(width * height * ch);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) acc += shade(x + (sx + 0.5) / ss, y + (sy + 0.5) / ss);
      }
      let g = acc / (ss * ss);
      if (noise > 0) g += noise * (rand() + rand() + rand() - 1.5) * 2; // approx. N(0, noise^2)
      const v = Math.max(0, Math.min(255, Math.round(g)));
      const o = (y * width + x) * ch;
      for (let c = 0; c < ch; c++) data[o + c] = c === 3 ? 255 : v;
    }
  }
  return { width, height, data, channels: ch };
}
