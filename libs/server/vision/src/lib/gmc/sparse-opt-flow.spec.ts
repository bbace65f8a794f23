import type { Detection } from '@crowdsafe/contracts';
import { IDENTITY_AFFINE, type Affine2x3 } from '../tracking/gmc';
import { rgbToGray, type GrayFrame } from './gray-frame';
import { SparseOptFlowGmc, type SparseOptFlowOptions, type SparseOptFlowStatus } from './sparse-opt-flow';
import {
  applyAffine,
  renderFrame,
  similarityAbout,
  type RenderOptions,
  type SyntheticPerson,
} from './testing/synthetic.test-util';

const W = 640;
const H = 360;
const ID: Affine2x3 = [1, 0, 0, 0, 1, 0];

/** Largest distance between where `est` and `truth` send the frame centre and the four frame corners. */
function transferError(est: Affine2x3, truth: Affine2x3, w = W, h = H): number {
  let e = 0;
  for (const [x, y] of [[w / 2, h / 2], [0, 0], [w, 0], [0, h], [w, h]]) {
    const [ax, ay] = applyAffine(est, x, y);
    const [bx, by] = applyAffine(truth, x, y);
    e = Math.max(e, Math.hypot(ax - bx, ay - by));
  }
  return e;
}
const degrees = (m: Affine2x3): number => (Math.atan2(m[3], m[0]) * 180) / Math.PI;
const scaleOf = (m: Affine2x3): number => Math.hypot(m[0], m[3]);

function dets(people: readonly SyntheticPerson[]): Detection[] {
  return people.map((p) => ({ box: p.box, score: 0.9, classId: 0 }));
}

/** A 6 x 3 block of 40 x 100 people covering the middle of the frame, shifted by dx. */
function crowd(dx: number): SyntheticPerson[] {
  const out: SyntheticPerson[] = [];
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 6; c++) {
      const x1 = 150 + c * 56 + dx;
      const y1 = 20 + r * 110;
      out.push({ box: { x1, y1, x2: x1 + 40, y2: y1 + 100 }, seed: 1000 + r * 6 + c });
    }
  }
  return out;
}

/** Two frames: the world through the identity, then through `warp`; estimate on the second. */
function estimatePair(
  warp: Affine2x3,
  render: Partial<RenderOptions> = {},
  opts: Partial<SparseOptFlowOptions> = {},
  people: [SyntheticPerson[], SyntheticPerson[]] = [[], []],
  mask = true,
): { est: Affine2x3; gmc: SparseOptFlowGmc } {
  const gmc = new SparseOptFlowGmc(opts);
  const f0 = renderFrame(W, H, ID, { seed: 7, noiseSeed: 1, ...render, people: people[0] });
  const f1 = renderFrame(W, H, warp, { seed: 7, noiseSeed: 2, ...render, people: people[1] });
  expect(gmc.estimate(f0, mask ? dets(people[0]) : [])).toEqual(IDENTITY_AFFINE);
  expect(gmc.stats.status).toBe('first-frame');
  const est = gmc.estimate(f1, mask ? dets(people[1]) : []);
  return { est, gmc };
}

describe('SparseOptFlowGmc accuracy on synthetic camera motion (640x360, downscale 2)', () => {
  // Tolerances: the estimate moves the frame centre and corners within 0.3 px of the truth, rotation within 0.1
  // degrees, scale within 0.2%.
  it.each([
    { name: 'static scene', warp: ID, noise: 0 },
    { name: 'static scene with +-3 grey sensor noise', warp: ID, noise: 3 },
    { name: 'translation (7, -3)', warp: [1, 0, 7, 0, 1, -3] as Affine2x3, noise: 0 },
    { name: 'translation (7, -3) with noise', warp: [1, 0, 7, 0, 1, -3] as Affine2x3, noise: 3 },
    { name: 'sub-pixel translation (0.4, 0.7)', warp: [1, 0, 0.4, 0, 1, 0.7] as Affine2x3, noise: 0 },
    { name: 'pan (-15, 1)', warp: [1, 0, -15, 0, 1, 1] as Affine2x3, noise: 2 },
    { name: 'rotation 0.5 deg about the centre', warp: similarityAbout(W / 2, H / 2, 0.5), noise: 0 },
    { name: 'rotation -1 deg about the centre', warp: similarityAbout(W / 2, H / 2, -1), noise: 2 },
    { name: 'zoom in 1%', warp: similarityAbout(W / 2, H / 2, 0, 1.01), noise: 0 },
    { name: 'zoom out 1.5%', warp: similarityAbout(W / 2, H / 2, 0, 0.985), noise: 2 },
    { name: 'rotation about the top-left corner', warp: similarityAbout(0, 0, 0.3), noise: 0 },
    { name: 'all at once', warp: similarityAbout(W / 2, H / 2, 0.4, 0.99, 4, -2), noise: 2 },
  ])('$name', ({ warp, noise }) => {
    const { est, gmc } = estimatePair(warp, { noise });
    expect(gmc.stats.status).toBe('ok');
    expect(gmc.stats.inliers).toBeGreaterThan(300);
    expect(transferError(est, warp)).toBeLessThan(0.3);
    expect(Math.abs(degrees(est) - degrees(warp))).toBeLessThan(0.1);
    expect(Math.abs(scaleOf(est) / scaleOf(warp) - 1)).toBeLessThan(0.002);
  });

  it('an exactly repeated frame gives the identity (to float precision)', () => {
    const { est } = estimatePair(ID);
    for (let k = 0; k < 6; k++) expect(est[k]).toBeCloseTo(ID[k], 4);
  });
});

describe('SparseOptFlowGmc masking and failure modes', () => {
  it('only the (masked) people move: identity', () => {
    const { est, gmc } = estimatePair(ID, { noise: 2 }, {}, [crowd(0), crowd(12)]);
    expect(gmc.stats.status).toBe('ok');
    expect(transferError(est, ID)).toBeLessThan(0.1);
  });

  it('control: the same crowd unmasked dominates the corners and drags the estimate', () => {
    const { est } = estimatePair(ID, { noise: 2 }, {}, [crowd(0), crowd(12)], false);
    expect(transferError(est, ID)).toBeGreaterThan(5);
  });

  it('camera pan with the masked crowd walking the other way: the pan', () => {
    const pan: Affine2x3 = [1, 0, -9, 0, 1, 0];
    const { est } = estimatePair(pan, { noise: 2 }, {}, [crowd(0), crowd(10)]);
    expect(transferError(est, pan)).toBeLessThan(0.3);
  });

  it.each<{ name: string; render: Partial<RenderOptions>; opts?: Partial<SparseOptFlowOptions>; status: SparseOptFlowStatus }>([
    { name: 'flat frame (no texture)', render: { flat: 128 }, status: 'too-few-points' },
    { name: 'flat frame with +-2 grey sensor noise', render: { flat: 128, noise: 2 }, status: 'too-few-points' },
    { name: 'more inliers required than corners allowed', render: {}, opts: { maxCorners: 8, minInliers: 10 }, status: 'too-few-points' },
  ])('$name: identity ($status)', ({ render, opts, status }) => {
    const { est, gmc } = estimatePair([1, 0, 5, 0, 1, 0], render, opts);
    expect(gmc.stats.status).toBe(status);
    expect(est).toEqual(IDENTITY_AFFINE);
  });

  it('every pixel masked: no corners, identity', () => {
    const all: Detection[] = [{ box: { x1: -10, y1: -10, x2: W + 10, y2: H + 10 }, score: 0.9, classId: 0 }];
    const gmc = new SparseOptFlowGmc();
    gmc.estimate(renderFrame(W, H, ID, { seed: 7 }), all);
    expect(gmc.stats.corners).toBe(0);
    expect(gmc.estimate(renderFrame(W, H, [1, 0, 5, 0, 1, 0], { seed: 7 }), all)).toEqual(IDENTITY_AFFINE);
    expect(gmc.stats.status).toBe('too-few-points');
  });

  it('frame-size change resets: identity, then tracks again at the new size', () => {
    const gmc = new SparseOptFlowGmc();
    const shift: Affine2x3 = [1, 0, 6, 0, 1, 2];
    gmc.estimate(renderFrame(W, H, ID, { seed: 3 }), []);
    expect(transferError(gmc.estimate(renderFrame(W, H, shift, { seed: 3 }), []), shift)).toBeLessThan(0.3);
    const small: Array<[number, number]> = [[400, 240], [400, 240]];
    expect(gmc.estimate(renderFrame(small[0][0], small[0][1], ID, { seed: 3 }), [])).toEqual(IDENTITY_AFFINE);
    expect(gmc.stats.status).toBe('size-change');
    const est = gmc.estimate(renderFrame(small[1][0], small[1][1], shift, { seed: 3 }), []);
    expect(gmc.stats.status).toBe('ok');
    expect(transferError(est, shift, 400, 240)).toBeLessThan(0.3);
  });

  it('reset() forgets the previous frame', () => {
    const gmc = new SparseOptFlowGmc();
    gmc.estimate(renderFrame(W, H, ID, { seed: 3 }), []);
    gmc.reset();
    expect(gmc.stats.status).toBe('first-frame');
    expect(gmc.estimate(renderFrame(W, H, [1, 0, 6, 0, 1, 2], { seed: 3 }), [])).toEqual(IDENTITY_AFFINE);
    expect(gmc.stats.status).toBe('first-frame');
  });

  it('a frame too small for the pyramid window: identity', () => {
    const gmc = new SparseOptFlowGmc();
    const tiny: GrayFrame = { width: 30, height: 20, data: new Uint8Array(600) };
    expect(gmc.estimate(tiny, [])).toEqual(IDENTITY_AFFINE);
    expect(gmc.estimate(tiny, [])).toEqual(IDENTITY_AFFINE);
    expect(gmc.stats.status).toBe('too-small');
  });

  it('accepts a pre-downscaled frame (rgbToGray scale) and reports the warp in source pixels', () => {
    const toRgb = (g: GrayFrame): Uint8Array => {
      const out = new Uint8Array(g.data.length * 3);
      for (let i = 0; i < g.data.length; i++) out.fill(g.data[i], 3 * i, 3 * i + 3);
      return out;
    };
    const warp = similarityAbout(W / 2, H / 2, 0.3, 1, 8, -4);
    const gmc = new SparseOptFlowGmc({ downscale: 1 });
    gmc.estimate(rgbToGray(toRgb(renderFrame(W, H, ID, { seed: 5 })), W, H, 2), []);
    const est = gmc.estimate(rgbToGray(toRgb(renderFrame(W, H, warp, { seed: 5 })), W, H, 2), []);
    expect(gmc.stats.status).toBe('ok');
    expect(transferError(est, warp)).toBeLessThan(0.3);
  });

  it('is deterministic', () => {
    const warp = similarityAbout(W / 2, H / 2, 0.4, 0.99, 4, -2);
    expect(estimatePair(warp, { noise: 2 }).est).toEqual(estimatePair(warp, { noise: 2 }).est);
  });

  it.each([
    { name: 'width 0', frame: { width: 0, height: 10, data: new Uint8Array(0) } },
    { name: 'data too short', frame: { width: 64, height: 64, data: new Uint8Array(100) } },
    { name: 'NaN scale', frame: { width: 64, height: 64, data: new Uint8Array(4096), scale: NaN } },
  ])('rejects a frame with $name', ({ frame }) => {
    expect(() => new SparseOptFlowGmc().estimate(frame, [])).toThrow(RangeError);
  });

  it.each<{ name: string; opts: Partial<SparseOptFlowOptions> }>([
    { name: 'downscale 0', opts: { downscale: 0 } },
    { name: 'fractional levels', opts: { levels: 2.5 } },
    { name: 'qualityLevel 1', opts: { qualityLevel: 1 } },
    { name: 'negative fbThreshold', opts: { fbThreshold: -1 } },
    { name: 'minInliers 1', opts: { minInliers: 1 } },
    { name: 'NaN maskMargin', opts: { maskMargin: NaN } },
  ])('rejects options with $name', ({ opts }) => {
    expect(() => new SparseOptFlowGmc(opts)).toThrow(RangeError);
  });
});
