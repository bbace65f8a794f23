// Automatic calibration vs a reference calibration on a real video (not a test):
//   ./crowdsafe analyze media/sample.mp4 --fps 5 --json hall.json
//   node -r ./tools/ts-register.js libs/server/analytics/src/bench/auto-calibration-check.ts hall.json docs/calibration/hall.json
// Feeds every processed frame's confirmed tracks (source pixels) to AutoCalibrationEstimator, then compares its
// scale and floor area, and the mean density of the run, with the reference's.
import { readFileSync } from 'node:fs';
import { AutoCalibrationEstimator } from '../lib/auto-calibration';
import { calibrateScale } from '../lib/calibration';

interface Run {
  source: { width: number; height: number };
  frames: Array<{ count: number; tracks: Array<{ x: number; y: number; w: number; h: number }> }>;
}
const run = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Run;
const ref = JSON.parse(readFileSync(process.argv[3], 'utf8')) as { calibrationData: { frame: { width: number; height: number }; scale: { a: [number, number]; b: [number, number]; distanceM: number } } };
const frame = { width: run.source.width, height: run.source.height };
const est = new AutoCalibrationEstimator({ frame });
let firstAt = -1;
run.frames.forEach((f, i) => {
  est.add(f.tracks.map((t) => ({ x1: t.x, y1: t.y, x2: t.x + t.w, y2: t.y + t.h })));
  if (firstAt < 0 && est.estimate) firstAt = i + 1;
});
const e = est.estimate;
const s = ref.calibrationData.scale;
const refPxPerM = Math.hypot(s.b[0] - s.a[0], s.b[1] - s.a[1]) / s.distanceM;
const r = calibrateScale({ frame: ref.calibrationData.frame, a: s.a, b: s.b, distanceM: s.distanceM });
const refArea = r.ok ? r.value.floorAreaM2 : NaN;
const meanCount = run.frames.reduce((a, f) => a + f.count, 0) / run.frames.length;
const heights = run.frames.flatMap((f) => f.tracks.map((t) => t.h)).sort((a, b) => a - b);
console.log(`frames ${run.frames.length}, samples ${est.sampleCount}, first estimate after ${firstAt} frames; median box height ${heights[heights.length >> 1]} px`);
if (!e) {
  console.log('no estimate');
} else {
  const f = e.fit;
  const pct = (v: number, w: number) => `${v > w ? '+' : ''}${(((v - w) / w) * 100).toFixed(0)} %`;
  console.log(`auto: model ${f.model}, h(y) = ${f.a.toFixed(1)} + ${f.b.toFixed(4)} y, ${f.pxPerMAtMid.toFixed(1)} px/m at mid-frame, floor ${e.calibration.floorAreaM2.toFixed(1)} m2` +
    (f.cameraHeightM !== null ? `, camera ${f.cameraHeightM.toFixed(2)} m, horizon row ${f.horizonRow?.toFixed(0)}` : ''));
  console.log(`reference: ${refPxPerM.toFixed(1)} px/m, floor ${refArea.toFixed(1)} m2`);
  console.log(`scale ${pct(f.pxPerMAtMid, refPxPerM)}; floor area ${pct(e.calibration.floorAreaM2, refArea)}; mean density (mean count ${meanCount.toFixed(1)}) auto ${(meanCount / e.calibration.floorAreaM2).toFixed(3)} vs reference ${(meanCount / refArea).toFixed(3)} people/m2 (${pct(meanCount / e.calibration.floorAreaM2, meanCount / refArea)})`);
  for (const w of e.calibration.warnings) console.log(`  warning: ${w}`);
}
