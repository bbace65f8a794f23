import '../../testing/ort-jest-realm.test-util';
import { join } from 'node:path';
import sharp from 'sharp';
import type { RawFrame } from '@crowdsafe/contracts';
import { decodeFrames, sharedDataDir } from '../../testing/video-frames.test-util';
import { OnnxYoloDetector, type TiledDetectorRun } from './onnx-yolo-detector';
import { ThreadedPersonDetector } from './threaded-person-detector';

jest.setTimeout(120000);

const DATA = sharedDataDir(process.env.CROWDSAFE_SHARED_DATA);
const MODEL = join(DATA, 'models', 'yolo11n_int8_dynamic_640.onnx');
const PART_B = join(DATA, 'crowd_counting', 'shanghaitech', 'part_B_train_60', 'images');
const HALL = join(DATA, 'videos', 'hall_topdown_1280x720_25fps_reencoded.mp4');

async function image(path: string): Promise<RawFrame> {
  const { data, info } = await sharp(path).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { cameraId: 'img', seq: 0, capturedAt: 0, width: info.width, height: info.height, data: new Uint8Array(data) };
}

describe('OnnxYoloDetector tiling (real model, ShanghaiTech B + hall frame)', () => {
  let detector: OnnxYoloDetector;
  let img1: RawFrame; // ShanghaiTech B train IMG_1: 1024x768, 234 annotated heads
  let hall: RawFrame;

  beforeAll(async () => {
    [detector, img1, [hall]] = await Promise.all([
      OnnxYoloDetector.load({ modelPath: MODEL, executionProvider: 'cpu', threads: 0, defaults: { confidence: 0.25, iou: 0.7, maxDetections: 1000 } }),
      image(join(PART_B, 'IMG_1.jpg')),
      decodeFrames(HALL, { count: 1, cameraId: 'hall' }),
    ]);
  });
  afterAll(async () => {
    await detector?.close();
  });

  it('finds more people tiled than untiled on a dense ShanghaiTech B image, with frame-coordinate boxes', async () => {
    const run = await detector.detect([img1, img1], [{ tiling: 'off' }, { tiling: 'on' }]);
    const [untiled, tiled] = run.detections;
    expect(run.tiling).toEqual([
      { tiled: false, passes: 1 },
      { tiled: true, passes: 5 }, // global + 2 x 2 slices of 640 over 1024x768
    ]);
    expect(tiled.length).toBeGreaterThan(untiled.length * 1.3);
    expect(tiled.length).toBeLessThan(234);
    for (const d of tiled) {
      expect(d.box.x1).toBeGreaterThanOrEqual(0);
      expect(d.box.y1).toBeGreaterThanOrEqual(0);
      expect(d.box.x2).toBeLessThanOrEqual(img1.width);
      expect(d.box.y2).toBeLessThanOrEqual(img1.height);
      expect(d.box.x2).toBeGreaterThan(d.box.x1);
    }
    // The right-hand slices (x >= 384) contribute people found only there.
    expect(tiled.some((d) => d.box.x1 > 640)).toBe(true);
  });

  it("'off' is the untiled detector bit for bit; 'auto' tiles the crowded hall frame", async () => {
    const plain = await detector.detect([hall]);
    const off = await detector.detect([hall], [{ tiling: 'off' }]);
    expect(off.detections).toEqual(plain.detections);
    expect(plain.tiling).toBeUndefined();
    const auto = await detector.detect([hall], [{ tiling: 'auto' }]);
    expect(plain.detections[0].length).toBeGreaterThanOrEqual(15);
    expect(auto.tiling?.[0]).toEqual({ tiled: true, passes: 7 }); // global + 3 x 2 slices
    expect(auto.detections[0].length).toBeGreaterThanOrEqual(plain.detections[0].length);
  });

  it("'auto' leaves a frame with no people untiled", async () => {
    const grey: RawFrame = { ...hall, data: new Uint8Array(hall.data.length).fill(114) };
    const run = await detector.detect([grey], [{ tiling: 'auto' }]);
    expect(run.tiling).toEqual([{ tiled: false, passes: 1 }]);
    expect(run.detections[0]).toEqual([]);
  });

  it('the tiling option and the per-frame tiling report cross the detector thread', async () => {
    const threaded = await ThreadedPersonDetector.load({ modelPath: MODEL, executionProvider: 'cpu', threads: 1, defaults: { confidence: 0.25, iou: 0.7, maxDetections: 1000 } });
    try {
      const run: TiledDetectorRun = await threaded.detect([img1], [{ tiling: 'on' }]);
      const local = await detector.detect([img1], [{ tiling: 'on' }]);
      expect(run.tiling).toEqual([{ tiled: true, passes: 5 }]);
      expect(run.detections).toEqual(local.detections);
    } finally {
      await threaded.close();
    }
  });

  it('rejects an unknown tiling mode', async () => {
    await expect(detector.detect([hall], [{ tiling: 'sometimes' as never }])).rejects.toThrow(/tiling must be/);
  });

  it('scheduled slices: the global pass plus exactly the given regions, merged; an empty list is the global pass', async () => {
    const top = { x: 0, y: 0, width: 640, height: 640 };
    const right = { x: 640, y: 0, width: 640, height: 640 };
    const run = await detector.detect([hall, hall, hall], [{ slices: [] }, { slices: [top] }, { slices: [top, right] }]);
    expect(run.tiling).toEqual([
      { tiled: false, passes: 1 },
      { tiled: true, passes: 2 },
      { tiled: true, passes: 3 },
    ]);
    const plain = await detector.detect([hall]);
    expect(run.detections[0]).toEqual(plain.detections[0]);
    // Slices find the small people at the top of the hall that the global pass misses.
    expect(run.detections[2].length).toBeGreaterThan(plain.detections[0].length);
    expect(run.detections[2].length).toBeGreaterThanOrEqual(run.detections[1].length);
    // 'scheduled' without slices is the global pass; slices override any tiling mode.
    const sched = await detector.detect([hall, hall], [{ tiling: 'scheduled' }, { tiling: 'on', slices: [top] }]);
    expect(sched.detections[0]).toEqual(plain.detections[0]);
    expect(sched.tiling?.[1]).toEqual({ tiled: true, passes: 2 });
  });

  it('rejects a slice outside the frame or not in integers, naming the frame', async () => {
    await expect(detector.detect([hall], [{ slices: [{ x: 1000, y: 0, width: 640, height: 640 }] }])).rejects.toThrow(/slice 640x640\+1000\+0 is not an integer region inside the 1280x720 frame/);
    await expect(detector.detect([hall], [{ slices: [{ x: 0.5, y: 0, width: 64, height: 64 }] }])).rejects.toThrow(/hall#1: slice/);
  });
});
