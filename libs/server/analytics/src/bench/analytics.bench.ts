/**
 * Analytics cost per frame at 50, 300 and 1000 tracked people (synthetic crowd, 1080p perspective camera,
 * 3 zones, 2 counting lines, 25 fps timestamps).
 *   node -r ./tools/ts-register.js libs/server/analytics/src/bench/analytics.bench.ts
 */
import { calibrateHomography } from '../lib/calibration';
import { CrowdAnalyzer, type AnalyzerOptions } from '../lib/analyzer';
import type { CountingLine, TrackInput, Zone } from '../lib/types';
import { gaussian, groundRect, personBox, pinholeCamera, prng, SURVEY_POINTS, track } from '../testing/synthetic';

const cam = pinholeCamera();
const frame = { width: cam.width, height: cam.height };
const r = calibrateHomography({ frame, points: SURVEY_POINTS.map((w) => ({ world: w, image: cam.project(w[0], w[1], 0) })) });
if (!r.ok) throw new Error('calibration failed');
const cal = r.value;

const zones: Zone[] = [
  { id: 'a', name: 'A', polygon: groundRect(cam, -5, 1, 0, 7), capacity: 120 },
  { id: 'b', name: 'B', polygon: groundRect(cam, 0, 1, 5, 7), capacity: 120 },
  { id: 'c', name: 'C', polygon: groundRect(cam, -5, 7, 5, 14), capacity: 300 },
];
const lines: CountingLine[] = [
  { id: 'l1', name: 'L1', a: cam.project(-5, 7, 0), b: cam.project(5, 7, 0), inDirection: 'left', widthM: 10 },
  { id: 'l2', name: 'L2', a: cam.project(0, 1, 0), b: cam.project(0, 14, 0), inDirection: 'right', widthM: 13 },
];

function bench(people: number, options: Partial<AnalyzerOptions>, frames = 250, warmup = 25): number {
  const rand = prng(people);
  const a = new CrowdAnalyzer({ cameraId: 'bench', calibration: cal, zones, lines, options });
  const ps = Array.from({ length: people }, () => ({
    x: -5 + 10 * rand(),
    y: 1 + 13 * rand(),
    vx: 1.2 * gaussian(rand) * 0.5,
    vy: 1.2 * gaussian(rand) * 0.5,
  }));
  let total = 0;
  for (let f = 0; f < frames + warmup; f++) {
    const tracks: TrackInput[] = ps.map((p, i) => {
      p.x += p.vx * 0.04;
      p.y += p.vy * 0.04;
      if (p.x < -5 || p.x > 5) p.vx = -p.vx;
      if (p.y < 1 || p.y > 14) p.vy = -p.vy;
      return track(i, personBox(cam, p.x, p.y, [rand() * 4 - 2, rand() * 4 - 2]));
    });
    const t0 = performance.now();
    a.update({ timestampMs: 1_700_000_000_000 + f * 40, tracks });
    if (f >= warmup) total += performance.now() - t0;
  }
  return total / frames;
}

const rows: string[] = [];
for (const n of [50, 300, 1000]) {
  const full = bench(n, {});
  const lean = bench(n, { includeGrid: false, includeTracks: false });
  rows.push(`${String(n).padStart(5)} people: ${full.toFixed(2).padStart(6)} ms/frame (full output)  ${lean.toFixed(2).padStart(6)} ms/frame (no grid / per-track output)`);
}
const a = new CrowdAnalyzer({ cameraId: 'x', calibration: cal, zones, lines });
console.log(`analytics ms/frame (grid ${a.grid.cols} x ${a.grid.rows} cells of ${a.grid.cell.toFixed(2)} m, 3 zones, 2 lines):`);
for (const row of rows) console.log(row);
