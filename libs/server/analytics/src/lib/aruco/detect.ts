/**
 * ArUco / AprilTag square-marker detection (wraps js-aruco2, pure JavaScript) with sub-pixel corner refinement.
 *
 * Coordinates are continuous image pixels with the origin at the top-left CORNER of the top-left pixel (pixel
 * (i, j) covers [i, i + 1) x [j, j + 1), its centre is (i + .5, j + .5)), the convention of the rest of the library.
 */
import { AR, type ArucoMarker, type ArucoPoint, type Detector, type Dictionary } from 'js-aruco2';
// Each of these registers one more dictionary in AR.DICTIONARIES (ARUCO and ARUCO_MIP_36h12 are built in).
import 'js-aruco2/src/dictionaries/aruco_4x4_1000';
import 'js-aruco2/src/dictionaries/aruco_5x5_1000';
import 'js-aruco2/src/dictionaries/aruco_6x6_1000';
import 'js-aruco2/src/dictionaries/aruco_7x7_1000';
import 'js-aruco2/src/dictionaries/aruco_default_opencv';
import 'js-aruco2/src/dictionaries/apriltag_36h11';
import type { Vec2 } from '../types';

/**
 * Supported dictionaries. `ARUCO_4X4_1000` .. `ARUCO_7X7_1000` are OpenCV's `DICT_NxN_1000`, whose first 50 / 100 /
 * 250 ids are also `DICT_NxN_50` / `_100` / `_250` (same codes, same ids); `ARUCO_DEFAULT_OPENCV` is
 * `DICT_ARUCO_ORIGINAL`; `APRILTAG_36h11` is `DICT_APRILTAG_36h11`; `ARUCO` and `ARUCO_MIP_36h12` are js-aruco's.
 */
export const ARUCO_DICTIONARIES = [
  'ARUCO_4X4_1000',
  'ARUCO_5X5_1000',
  'ARUCO_6X6_1000',
  'ARUCO_7X7_1000',
  'ARUCO_DEFAULT_OPENCV',
  'APRILTAG_36h11',
  'ARUCO_MIP_36h12',
  'ARUCO',
] as const;
export type ArucoDictionaryName = (typeof ARUCO_DICTIONARIES)[number];

/** A raw image: row-major bytes without row padding (e.g. sharp's `.raw()` output). */
export interface RasterImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
  /** 1 (grey), 3 (RGB) or 4 (RGBA); inferred from `data.length / (width * height)` when omitted. */
  channels?: 1 | 3 | 4;
}

/** Four corners in the dictionary's order: the marker's top-left, top-right, bottom-right, bottom-left as printed. */
export type MarkerCorners = readonly [Vec2, Vec2, Vec2, Vec2];

export interface MarkerDetection {
  id: number;
  /**
   * Outer corners of the black square in image px, clockwise on screen starting at the marker's top-left corner
   * (the corner at the start of the code's first row as printed), like OpenCV's `detectMarkers`.
   */
  corners: MarkerCorners;
  /** Bit errors corrected when decoding (0 = exact code). */
  hammingDistance: number;
  /** True when the corners were refined to sub-pixel precision by fitting lines to the black square's edges. */
  refined: boolean;
}

export interface DetectMarkersOptions {
  dictionary: ArucoDictionaryName;
  /** Accept codes up to this many bit errors (default: the dictionary's own tolerance). Lower = fewer false ids. */
  maxHammingDistance?: number;
  /** Refine corners to sub-pixel precision (default true). */
  refineCorners?: boolean;
}

const detectors = new Map<string, Detector>();
const dictionaries = new Map<string, Dictionary>();

function dictionaryOf(name: ArucoDictionaryName): Dictionary {
  let d = dictionaries.get(name);
  if (!d) {
    if (!(ARUCO_DICTIONARIES as readonly string[]).includes(name) || !AR.DICTIONARIES[name]) {
      throw new RangeError(`Unknown marker dictionary "${String(name)}" (supported: ${ARUCO_DICTIONARIES.join(', ')}).`);
    }
    d = new AR.Dictionary(name);
    dictionaries.set(name, d);
  }
  return d;
}

function detectorOf(name: ArucoDictionaryName, maxHamming: number | undefined): Detector {
  const key = `${name}/${maxHamming ?? ''}`;
  let det = detectors.get(key);
  if (!det) {
    dictionaryOf(name); // validates the name
    det = new AR.Detector({ dictionaryName: name, maxHammingDistance: maxHamming });
    // js-aruco2 drops the smaller of two nested candidate quadrilaterals closer than 10 px. For a small marker the
    // outer edge of its white quiet zone (on a darker floor) is such a neighbour, so the marker itself was dropped
    // and never decoded. Keep every candidate instead; `dedupe` merges the nested decodes of one marker.
    det.notTooNear = (candidates) => candidates;
    detectors.set(key, det);
  }
  return det;
}

/**
 * The code of marker `id` as a square grid of bits (rows top to bottom as printed, 1 = white cell), without the
 * one-cell black border. Render it as: white quiet zone (>= 1 cell), black border (1 cell), these cells.
 */
export function markerBits(dictionary: ArucoDictionaryName, id: number): number[][] {
  const d = dictionaryOf(dictionary);
  const code = d.codeList[id];
  if (!Number.isInteger(id) || code === undefined) {
    throw new RangeError(`Marker id ${id} is not in ${dictionary} (ids 0..${d.codeList.length - 1}).`);
  }
  const n = d.markSize - 2;
  const rows: number[][] = [];
  for (let r = 0; r < n; r++) rows.push([...code.slice(r * n, r * n + n)].map((c) => (c === '1' ? 1 : 0)));
  return rows;
}

/** Number of ids in a dictionary. */
export function dictionarySize(dictionary: ArucoDictionaryName): number {
  return dictionaryOf(dictionary).codeList.length;
}

function channelsOf(image: RasterImage): 1 | 3 | 4 {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`Image size must be positive integers (got ${width} x ${height}).`);
  }
  const ch = image.channels ?? data.length / (width * height);
  if (ch !== 1 && ch !== 3 && ch !== 4) {
    throw new RangeError(`Image data has ${data.length} bytes for ${width} x ${height}: expected 1, 3 or 4 bytes per pixel.`);
  }
  if (data.length !== width * height * ch) {
    throw new RangeError(`Image data has ${data.length} bytes, expected ${width * height * ch} (${width} x ${height} x ${ch}).`);
  }
  return ch;
}

function toRgba(data: Uint8Array | Uint8ClampedArray, n: number, ch: 1 | 3 | 4): Uint8ClampedArray {
  if (ch === 4) return new Uint8ClampedArray(data.buffer, data.byteOffset, data.length);
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0, s = 0, d = 0; i < n; i++, s += ch, d += 4) {
    out[d] = data[s];
    out[d + 1] = data[s + (ch === 3 ? 1 : 0)];
    out[d + 2] = data[s + (ch === 3 ? 2 : 0)];
    out[d + 3] = 255;
  }
  return out;
}

/** Luma (same weights as js-aruco2's greyscale conversion), as floats. */
function toGrey(data: Uint8Array | Uint8ClampedArray, n: number, ch: 1 | 3 | 4): Float32Array {
  const out = new Float32Array(n);
  if (ch === 1) {
    for (let i = 0; i < n; i++) out[i] = data[i];
    return out;
  }
  for (let i = 0, s = 0; i < n; i++, s += ch) out[i] = 0.299 * data[s] + 0.587 * data[s + 1] + 0.114 * data[s + 2];
  return out;
}

/**
 * Detects the markers of one dictionary in an image (RGB, RGBA or grey bytes, see `RasterImage`). Markers need a
 * white quiet zone around the black border and at least ~10 px per side; returns them in detection order.
 */
export function detectMarkers(image: RasterImage, options: DetectMarkersOptions): MarkerDetection[] {
  const ch = channelsOf(image);
  const { width, height, data } = image;
  const n = width * height;
  const detector = detectorOf(options.dictionary, options.maxHammingDistance);
  const raw = detector.detect({ width, height, data: toRgba(data, n, ch) });
  if (raw.length === 0) return [];
  const grey = options.refineCorners === false ? null : toGrey(data, n, ch);
  const markSize = detector.dictionary.markSize;
  return dedupe(raw).map((m) => toDetection(m, grey, width, height, markSize));
}

function perimeter(c: readonly ArucoPoint[]): number {
  let p = 0;
  for (let k = 0; k < c.length; k++) p += Math.hypot(c[(k + 1) % c.length].x - c[k].x, c[(k + 1) % c.length].y - c[k].y);
  return p;
}

/**
 * Nested contours of one marker (outer and inner edge of its black border) decode to the same id at nearly the same
 * place: keep the outermost (the black square's outer edge, where `sizeM` is measured). Same-id markers further
 * apart than half their size are distinct and all kept.
 */
function dedupe(markers: readonly ArucoMarker[]): ArucoMarker[] {
  const centre = (m: ArucoMarker): [number, number] => [
    m.corners.reduce((s, p) => s + p.x, 0) / m.corners.length,
    m.corners.reduce((s, p) => s + p.y, 0) / m.corners.length,
  ];
  const sorted = [...markers].sort((a, b) => perimeter(b.corners) - perimeter(a.corners));
  const kept: ArucoMarker[] = [];
  for (const m of sorted) {
    const [x, y] = centre(m);
    const dup = kept.some((k) => {
      if (k.id !== m.id) return false;
      const [kx, ky] = centre(k);
      return Math.hypot(kx - x, ky - y) < perimeter(k.corners) / 8;
    });
    if (!dup) kept.push(m);
  }
  // Back to detection order.
  return markers.filter((m) => kept.includes(m));
}

function toDetection(m: ArucoMarker, grey: Float32Array | null, width: number, height: number, markSize: number): MarkerDetection {
  // js-aruco2 returns integer pixel indices of contour pixels: move them to pixel centres.
  const c = m.corners.map((p) => [p.x + 0.5, p.y + 0.5] as Vec2);
  const corners: MarkerCorners = [c[0], c[1], c[2], c[3]];
  const refined = grey ? refineCorners(grey, width, height, corners, markSize) : null;
  return { id: m.id, corners: refined ?? corners, hammingDistance: m.hammingDistance, refined: refined !== null };
}

/** Bilinear sample at continuous coordinates (pixel centres at +.5); NaN outside the image. */
function sample(grey: Float32Array, width: number, height: number, x: number, y: number): number {
  const fx = x - 0.5;
  const fy = y - 0.5;
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  if (x0 < 0 || y0 < 0 || x0 + 1 >= width || y0 + 1 >= height) return NaN;
  const ax = fx - x0;
  const ay = fy - y0;
  const i = y0 * width + x0;
  const top = grey[i] * (1 - ax) + grey[i + 1] * ax;
  const bottom = grey[i + width] * (1 - ax) + grey[i + width + 1] * ax;
  return top * (1 - ay) + bottom * ay;
}

/** A line as point + unit direction. */
interface Line {
  px: number;
  py: number;
  dx: number;
  dy: number;
}

/** Total-least-squares line through points (null when fewer than 2 or degenerate). */
function fitLine(pts: readonly Vec2[]): Line | null {
  const n = pts.length;
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (const [x, y] of pts) {
    mx += x / n;
    my += y / n;
  }
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const [x, y] of pts) {
    sxx += (x - mx) * (x - mx);
    sxy += (x - mx) * (y - my);
    syy += (y - my) * (y - my);
  }
  const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  const dx = Math.cos(theta);
  const dy = Math.sin(theta);
  return Number.isFinite(dx) && Number.isFinite(dy) ? { px: mx, py: my, dx, dy } : null;
}

function intersect(a: Line, b: Line): Vec2 | null {
  const det = a.dx * -b.dy - a.dy * -b.dx;
  if (Math.abs(det) < 1e-9) return null;
  const rx = b.px - a.px;
  const ry = b.py - a.py;
  const t = (rx * -b.dy - ry * -b.dx) / det;
  return [a.px + t * a.dx, a.py + t * a.dy];
}

const REFINE_MIN_CONTRAST = 20;
const REFINE_STEP = 0.25;

/**
 * Sub-pixel corners: along each side of the quadrilateral, find where the intensity profile across the edge
 * crosses halfway between the black border and the white quiet zone, fit a line to those points (one outlier
 * rejection pass) and intersect neighbouring lines. Returns null (keep the raw corners) when an edge is too
 * blurred, low-contrast or short, or when a refined corner moves implausibly far.
 */
function refineCorners(
  grey: Float32Array,
  width: number,
  height: number,
  corners: MarkerCorners,
  markSize: number,
): MarkerCorners | null {
  const cx = (corners[0][0] + corners[1][0] + corners[2][0] + corners[3][0]) / 4;
  const cy = (corners[0][1] + corners[1][1] + corners[2][1] + corners[3][1]) / 4;
  const lines: Line[] = [];
  for (let k = 0; k < 4; k++) {
    const a = corners[k];
    const b = corners[(k + 1) % 4];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const cell = len / markSize;
    // Search across the edge no further than ~half a cell: the black border and the quiet zone are one cell wide.
    const range = Math.min(3, 0.45 * cell);
    if (range < 1 || len < 8) return null;
    const ux = (b[0] - a[0]) / len;
    const uy = (b[1] - a[1]) / len;
    let nx = -uy;
    let ny = ux;
    const mx = (a[0] + b[0]) / 2;
    const my = (a[1] + b[1]) / 2;
    if ((mx - cx) * nx + (my - cy) * ny < 0) {
      nx = -nx;
      ny = -ny;
    }
    const pts: Vec2[] = [];
    const samples = Math.max(6, Math.floor(len * 0.8));
    const steps = Math.round((2 * range) / REFINE_STEP);
    const profile = new Float64Array(steps + 1);
    for (let s = 0; s < samples; s++) {
      const t = 0.12 + (0.76 * s) / (samples - 1);
      const bx = a[0] + t * (b[0] - a[0]);
      const by = a[1] + t * (b[1] - a[1]);
      let ok = true;
      for (let i = 0; i <= steps; i++) {
        const d = -range + i * REFINE_STEP;
        profile[i] = sample(grey, width, height, bx + d * nx, by + d * ny);
        if (Number.isNaN(profile[i])) ok = false;
      }
      if (!ok) continue;
      const lo = (profile[0] + profile[1]) / 2; // inside: black border
      const hi = (profile[steps] + profile[steps - 1]) / 2; // outside: quiet zone
      if (hi - lo < REFINE_MIN_CONTRAST) continue;
      const level = (lo + hi) / 2;
      // Upward crossing nearest to the raw edge.
      let best = NaN;
      for (let i = 0; i < steps; i++) {
        if (profile[i] < level && profile[i + 1] >= level) {
          const d = -range + (i + (level - profile[i]) / (profile[i + 1] - profile[i])) * REFINE_STEP;
          if (Number.isNaN(best) || Math.abs(d) < Math.abs(best)) best = d;
        }
      }
      if (!Number.isNaN(best)) pts.push([bx + best * nx, by + best * ny]);
    }
    if (pts.length < Math.max(4, samples / 3)) return null;
    let line = fitLine(pts);
    if (!line) return null;
    const l0 = line;
    const res = pts.map(([x, y]) => Math.abs((x - l0.px) * -l0.dy + (y - l0.py) * l0.dx));
    const sorted = [...res].sort((p, q) => p - q);
    const cut = Math.max(0.3, 3 * sorted[sorted.length >> 1]);
    const kept = pts.filter((_, i) => res[i] <= cut);
    line = kept.length >= 4 ? fitLine(kept) : line;
    if (!line) return null;
    lines.push(line);
  }
  const out: Vec2[] = [];
  // A refined corner may move at most half a cell (>= 1.5 px) from js-aruco2's: further means a wrong edge.
  const maxShift = Math.max(1.5, (0.5 * Math.hypot(corners[1][0] - corners[0][0], corners[1][1] - corners[0][1])) / markSize);
  for (let k = 0; k < 4; k++) {
    // Corner k is where side k-1 (from corner k-1 to k) meets side k (from corner k to k+1).
    const p = intersect(lines[(k + 3) % 4], lines[k]);
    if (!p || Math.hypot(p[0] - corners[k][0], p[1] - corners[k][1]) > maxShift) return null;
    out.push(p);
  }
  return [out[0], out[1], out[2], out[3]];
}
