// Per-frame SparseOptFlowGmc time on a synthetic panning/rotating camera (not a test: timings depend on the
// machine).
//   node -r ./tools/ts-register.js libs/server/vision/src/lib/gmc/bench/sparse-opt-flow.bench.ts [width height [downscale [maxCorners]]]
// Default 1280x720, downscale 2, 1000 corners. The camera pans ~15 px/frame with a slight wobble in rotation and zoom; 20 people
// (masked detections) walk across. Reports ms/frame for estimate() on a grey frame and for rgbToGray, and the
// accuracy of the estimates (error of the frame centre and corners mapped by the estimate vs the true warp).
import type { Detection } from '@crowdsafe/contracts';
import type { Affine2x3 } from '../../tracking/gmc';
import { rgbToGray } from '../gray-frame';
import { SparseOptFlowGmc } from '../sparse-opt-flow';
import {
  applyAffine,
  composeAffine,
  invertAffine,
  renderFrame,
  similarityAbout,
  type SyntheticPerson,
} from '../testing/synthetic.test-util';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const [width, height, downscale, maxCorners] = [
  Number(process.argv[2] ?? 1280),
  Number(process.argv[3] ?? 720),
  Number(process.argv[4] ?? 2),
  Number(process.argv[5] ?? 1000),
];
const frames = 60;
const warmup = 10;

// Camera: world -> frame affine per frame.
const cams: Affine2x3[] = [];
let cam: Affine2x3 = [1, 0, 0, 0, 1, 0];
for (let f = 0; f < frames; f++) {
  cams.push(cam);
  const step = similarityAbout(width / 2, height / 2, 0.2 * Math.sin(f / 5), 1 + 0.003 * Math.cos(f / 7), -15, 2 * Math.sin(f / 3));
  cam = composeAffine(step, cam);
}
const people = (f: number): SyntheticPerson[] =>
  Array.from({ length: 20 }, (_, k) => {
    const x = ((k * 97 + f * (2 + (k % 5))) % (width - 60)) + 10;
    const y = ((k * 53) % (height - 160)) + 20;
    return { box: { x1: x, y1: y, x2: x + 40, y2: y + 120 }, seed: 100 + k };
  });

console.log(`rendering ${frames} frames ${width}x${height} ...`);
const grey = cams.map((c, f) => renderFrame(width, height, c, { seed: 7, people: people(f), noise: 2, noiseSeed: f + 1 }));
const dets = (f: number): Detection[] => people(f).map((p) => ({ box: p.box, score: 0.9, classId: 0 }));

const gmc = new SparseOptFlowGmc({ downscale, maxCorners });
const times: number[] = [];
const errs: number[] = [];
let inliers = 0;
for (let f = 0; f < frames; f++) {
  const t0 = performance.now();
  const est = gmc.estimate(grey[f], dets(f));
  const dt = performance.now() - t0;
  if (f === 0) continue;
  const truth = composeAffine(cams[f], invertAffine(cams[f - 1]));
  let e = 0;
  for (const [x, y] of [[width / 2, height / 2], [0, 0], [width, 0], [0, height], [width, height]]) {
    const [ax, ay] = applyAffine(est, x, y);
    const [bx, by] = applyAffine(truth, x, y);
    e = Math.max(e, Math.hypot(ax - bx, ay - by));
  }
  errs.push(e);
  if (f >= warmup) {
    times.push(dt);
    inliers += gmc.stats.inliers;
  }
}

// RGB -> grey at the same size (what a caller feeding RawFrame data pays on top), with a reused buffer.
const rgb = new Uint8Array(width * height * 3);
for (let i = 0; i < rgb.length; i++) rgb[i] = grey[0].data[Math.floor(i / 3)];
const out = new Uint8Array(width * height);
const rgbTimes: number[] = [];
for (let k = 0; k < 50; k++) {
  const t0 = performance.now();
  rgbToGray(rgb, width, height, 1, out);
  if (k >= 5) rgbTimes.push(performance.now() - t0);
}

const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
times.sort((a, b) => a - b);
errs.sort((a, b) => a - b);
rgbTimes.sort((a, b) => a - b);
const fmt = (v: number): string => v.toFixed(2);
console.log(
  `${width}x${height} downscale ${downscale} maxCorners ${maxCorners} | estimate ms/frame mean ${fmt(mean(times))} p50 ${fmt(percentile(times, 50))} ` +
    `p95 ${fmt(percentile(times, 95))} max ${fmt(times[times.length - 1])} | inliers/frame ${(inliers / times.length).toFixed(0)}`,
);
console.log(
  `max transfer error (centre + 4 corners) px: p50 ${errs[Math.floor(errs.length / 2)].toFixed(3)} max ${errs[errs.length - 1].toFixed(3)}`,
);
console.log(`rgbToGray (full size, reused buffer) ms/frame p50 ${fmt(percentile(rgbTimes, 50))}`);
