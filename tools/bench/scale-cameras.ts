// Part of `./crowdsafe bench scale` (issues #12/#13): "4 cameras on 2 cores, each camera's processed rate >= 0.8 of
// its fair share". N file cameras (the hall clip, 1280x720, 5 fps, real time) through the real embedded runtime
// sharing one InferenceClient and one YOLO11n (libs/server/cameras/src/lib/testing/multi-camera-load.ts), run twice
// in one process: the old default pass budget (no shared total, each camera <= 2.5 x fps) and the budget following
// the measured capacity (now). Fair share = max-min share of the capacity measured in the same run (one pass per
// frame, at most the camera's fps). Printed, never asserted. Flags: --scale-cameras N (default 4), --window S
// (default 20), --only-cameras (skip the ingest and socket.io parts).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeClip, runMultiCameraLoad, type MultiCameraLoadResult } from '../../libs/server/cameras/src/lib/testing/multi-camera-load';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};

function print(label: string, r: MultiCameraLoadResult): void {
  const ratios = r.cameras.map((c) => c.ratio);
  console.log(`  ${label}: measured capacity ${r.capacity.toFixed(1)} passes/s, ran ${r.passesPerSecond.toFixed(1)} passes/s; processed rate / fair share min ${Math.min(...ratios).toFixed(2)} (target >= 0.8)`);
  for (const c of r.cameras) console.log(`    ${c.cameraId}: ${c.rate.toFixed(2)} fps / fair ${c.fairShare.toFixed(2)} = ${c.ratio.toFixed(2)}; ${c.passesPerFrame} passes/frame; dropped ${c.droppedFrames}`);
  const reason = r.cameras[0]?.reason;
  if (reason) console.log(`    cam1 health reason: ${reason}`);
}

export async function camerasBench(): Promise<void> {
  const root = resolve(__dirname, '../..');
  const shared = resolve(process.env['CROWDSAFE_SHARED_DATA'] ?? join(root, '..', 'shared', 'data'));
  const data = [shared, '/work/shared/data'].find((d) => existsSync(join(d, 'models', 'yolo11n_int8_dynamic_640.onnx')));
  if (!data) return console.log('\ncameras on one machine: shared data not found (set CROWDSAFE_SHARED_DATA): skipped');
  const video = join(data, 'videos', 'hall_topdown_1280x720_25fps_reencoded.mp4');
  const model = join(data, 'models', 'yolo11n_int8_dynamic_640.onnx');
  const cameras = arg('scale-cameras', 4);
  const windowS = arg('window', 20);
  const clip = decodeClip('ffmpeg', video, 5, 10, 1280, 720);
  console.log(`\n${cameras} file cameras (hall 1280x720, 5 fps, real time) on this machine through the embedded runtime, one YOLO11n, ${windowS} s window after 8 s warm-up`);
  for (const budget of ['uncapped', 'measured'] as const) {
    const r = await runMultiCameraLoad({ video, model, ffmpeg: 'ffmpeg', cameras, fps: 5, warmupS: 8, windowS, width: 1280, height: 720, budget }, clip);
    print(budget === 'uncapped' ? 'before (no shared total, each camera <= 2.5 x fps)' : 'now (budget follows the measured capacity)', r);
  }
}
