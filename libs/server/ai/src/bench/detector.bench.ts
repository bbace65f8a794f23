/**
 * Detector throughput on real frames: ms per frame for batches of 1 and 4 (one short run, ~10-20 s).
 *   node -r ./tools/ts-register.js libs/server/ai/src/bench/detector.bench.ts [model.onnx] [video] [frames]
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { RawFrame } from '@crowdsafe/contracts';
import { OnnxYoloDetector } from '../lib/detector/onnx-yolo-detector';
import { describeDetector } from '../lib/detector/person-detector';

const data = resolve(__dirname, '../../../../../../shared/data');
const [model = resolve(data, 'models/yolo11n_int8_dynamic_640.onnx'), video = resolve(data, 'videos/hall_topdown_1280x720_25fps_reencoded.mp4'), n = '16'] =
  process.argv.slice(2);
const W = 1280;
const H = 720;

async function main(): Promise<void> {
  const count = Number(n);
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', video, '-vf', `scale=${W}:${H}`, '-frames:v', String(count), '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    maxBuffer: 1 << 30,
  });
  const frames: RawFrame[] = Array.from({ length: count }, (_, i) => ({
    cameraId: 'bench',
    seq: i,
    capturedAt: 0,
    width: W,
    height: H,
    data: raw.subarray(i * W * H * 3, (i + 1) * W * H * 3),
  }));
  const d = await OnnxYoloDetector.load({ modelPath: model, executionProvider: 'cpu', threads: 0, defaults: { confidence: 0.25, iou: 0.7, maxDetections: 1000 } });
  console.log(`model ${describeDetector(d.info)}, ${count} frames ${W}x${H}`);
  await d.detect(frames.slice(0, 2)); // warm
  for (const batch of [1, 4]) {
    const t = { preprocessMs: 0, inferenceMs: 0, postprocessMs: 0 };
    let people = 0;
    const start = performance.now();
    for (let i = 0; i + batch <= count; i += batch) {
      const r = await d.detect(frames.slice(i, i + batch));
      for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] += r.timings[k];
      people += r.detections.reduce((a, x) => a + x.length, 0);
    }
    const per = (ms: number) => (ms / count).toFixed(1);
    console.log(
      `batch ${batch}: ${per(performance.now() - start)} ms/frame total ` +
        `(preprocess ${per(t.preprocessMs)}, inference ${per(t.inferenceMs)}, postprocess ${per(t.postprocessMs)}), ${(people / count).toFixed(1)} people/frame`,
    );
  }
  await d.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
