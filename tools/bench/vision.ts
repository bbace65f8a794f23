// Vision-engine section of ./crowdsafe bench, measured in the same run: batch 1 vs a batch of 4 cameras' frames,
// untiled vs tiled inference, and BoT-SORT time per frame at 50 and 300 people.
import type { RawFrame } from '@crowdsafe/contracts';
import { OnnxYoloDetector } from '@crowdsafe/server-ai';
import { calibrateHomography, CrowdAnalyzer } from '@crowdsafe/analytics';
import { BotSortTracker } from '@crowdsafe/vision';
import { lattice, personBox, pinholeCamera, SURVEY_POINTS, track } from '../../libs/server/analytics/src/testing/synthetic';
import { scene } from '../../libs/server/vision/src/lib/tracking/bench/scene';

const fmt = (n: number, d = 2) => n.toFixed(d);

/** Frames per second and mean people per frame of `run` over `n` calls (after one warm-up call). */
async function rate(run: (i: number) => Promise<number>, n: number): Promise<{ fps: number; people: number }> {
  await run(0);
  let people = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) people += await run(i);
  return { fps: (n * 1000) / (performance.now() - t0), people: people / n };
}

export async function visionBench(modelPath: string, threads: number, frames: RawFrame[]): Promise<void> {
  let untiledMs = Number.NaN;
  const detector = await OnnxYoloDetector.load({ modelPath, executionProvider: 'cpu', threads, defaults: { confidence: 0.25, iou: 0.7, maxDetections: 1000 } });
  try {
    const four = frames.slice(0, 4).map((f, i) => ({ ...f, cameraId: `cam-${i}` }));
    const rounds = 3;
    // Batch 1: each camera's frame in its own run. Batched: the 4 cameras' frames in one detect() call.
    await detector.detect(four); // warm-up
    const t1 = performance.now();
    for (let r = 0; r < rounds; r++) for (const f of four) await detector.detect([f]);
    const single = (rounds * four.length * 1000) / (performance.now() - t1);
    const t2 = performance.now();
    for (let r = 0; r < rounds; r++) await detector.detect(four);
    const batched = (rounds * four.length * 1000) / (performance.now() - t2);
    console.log(
      `inference batch 1: ${fmt(single)} frames/s; batch of 4 cameras: ${fmt(batched)} frames/s; ratio ${fmt(batched / single)}` +
        (detector.info.dynamicBatch ? ' (dynamic batch: one session.run)' : ' (this model has a static batch of 1, so a batch runs frame by frame; a dynamic-batch export runs it in one session.run)'),
    );

    const detectOne = (tiling: 'off' | 'on') => async (i: number) =>
      (await detector.detect([frames[i % frames.length]], [{ tiling }])).detections[0].length;
    const untiled = await rate(detectOne('off'), 4);
    const tiled = await rate(detectOne('on'), 3);
    untiledMs = 1000 / untiled.fps;
    console.log(
      `untiled: ${fmt(untiled.fps)} frames/s, ${fmt(untiled.people, 1)} people/frame; tiled (640 px slices, 20 % overlap + global pass): ` +
        `${fmt(tiled.fps)} frames/s, ${fmt(tiled.people, 1)} people/frame; speed ratio tiled/untiled ${fmt(tiled.fps / untiled.fps)}, people ratio ${fmt(tiled.people / Math.max(1, untiled.people))} (conf 0.25)`,
    );
  } finally {
    await detector.close();
  }

  const perFrame: Record<number, number> = {};
  for (const people of [50, 300]) {
    const dets = scene(people, 400, 7);
    const tracker = new BotSortTracker({ frameRate: 30 });
    for (let i = 0; i < 100; i++) tracker.update(dets[i], i + 1); // warm-up
    const t = performance.now();
    for (let i = 100; i < dets.length; i++) tracker.update(dets[i], i + 1);
    perFrame[people] = (performance.now() - t) / (dets.length - 100);
  }
  console.log(`BoT-SORT per frame: ${fmt(perFrame[50], 3)} ms at 50 people, ${fmt(perFrame[300], 3)} ms at 300; ratio 300/50 ${fmt(perFrame[300] / perFrame[50], 1)}`);
  const an = [50, 300, 1000].map(analyticsMsPerFrame);
  console.log(`CrowdAnalyzer.update per frame (live options): ${an.map((ms, i) => `${fmt(ms, 3)} ms at ${[50, 300, 1000][i]} people (${fmt((100 * ms) / untiledMs, 1)} % of untiled inference ${fmt(untiledMs, 1)} ms)`).join(', ')}`);
}

/** Mean CrowdAnalyzer.update time (live options: no grid / per-track output) for n people walking on a synthetic 1080p floor. */
function analyticsMsPerFrame(n: number): number {
  const cam = pinholeCamera();
  const cal = calibrateHomography({ frame: { width: cam.width, height: cam.height }, points: SURVEY_POINTS.map((w) => ({ world: w, image: cam.project(w[0], w[1], 0) })) });
  if (!cal.ok) throw new Error('synthetic calibration failed');
  const a = new CrowdAnalyzer({ cameraId: 'bench', calibration: cal.value, lines: [{ id: 'l', name: 'L', a: cam.project(-5, 7, 0), b: cam.project(5, 7, 0), inDirection: 'left', widthM: 10 }], options: { includeGrid: false, includeTracks: false } });
  const start = lattice(n, 10 / Math.ceil(Math.sqrt(n)), 0, 7);
  let total = 0;
  for (let f = 0; f < 125; f++) {
    const tracks = start.map(([x, y], i) => track(i + 1, personBox(cam, x, y + ((f * 0.05 + i * 0.37) % 2) - 1)));
    const t0 = performance.now();
    a.update({ timestampMs: 1_700_000_000_000 + f * 40, tracks });
    if (f >= 25) total += performance.now() - t0;
  }
  return total / 100;
}
