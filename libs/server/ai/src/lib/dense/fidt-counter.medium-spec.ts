import '../../testing/ort-jest-realm.test-util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { StartupError } from '@crowdsafe/server-core';
import { sharedDataDir } from '../../testing/video-frames.test-util';
import { FidtCounter, fidtInputGeometry, type RgbImage } from './fidt-counter';
import { ThreadedFidtCounter } from './threaded-fidt-counter';

jest.setTimeout(120000);

const DATA = sharedDataDir(process.env.CROWDSAFE_SHARED_DATA);
const FIDT = join(DATA, 'models', 'fidt_light_B.onnx');
const YOLO = join(DATA, 'models', 'yolo11n_int8_dynamic_640.onnx');
// ShanghaiTech B train IMG_3: 29 annotated heads (a sparse image: the model is accurate below ~100).
const IMG_3 = join(DATA, 'crowd_counting', 'shanghaitech', 'part_B_train_60', 'images', 'IMG_3.jpg');

async function image(path: string): Promise<RgbImage> {
  const { data, info } = await sharp(path).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

describe('FidtCounter (fidt_light_B.onnx)', () => {
  let img: RgbImage;
  beforeAll(async () => {
    img = await image(IMG_3);
  });

  it('input geometry: max side, never upscaled, padded to multiples of 8', () => {
    expect(fidtInputGeometry(1024, 768, 512)).toEqual({ scale: 0.5, newW: 512, newH: 384, inW: 512, inH: 384 });
    expect(fidtInputGeometry(500, 375, 0)).toEqual({ scale: 1, newW: 500, newH: 375, inW: 504, inH: 376 });
    expect(fidtInputGeometry(500, 375, 4000).scale).toBe(1);
  });

  it('refuses the YOLO detector, a missing file and a non-ONNX file with a StartupError naming the setting', async () => {
    await expect(FidtCounter.load({ modelPath: YOLO, threads: 1, settingName: 'FIDT_MODEL_PATH' })).rejects.toThrow(
      expect.objectContaining({ name: 'StartupError', message: expect.stringMatching(/FIDT_MODEL_PATH.*fixed-size model such as YOLO.*Expected a FIDT/) }),
    );
    await expect(FidtCounter.load({ modelPath: join(DATA, 'nope.onnx'), threads: 1 })).rejects.toThrow(/Model not found at/);
    const dir = mkdtempSync(join(tmpdir(), 'fidt-'));
    try {
      writeFileSync(join(dir, 'x.onnx'), 'not a model');
      await expect(FidtCounter.load({ modelPath: join(dir, 'x.onnx'), threads: 1 })).rejects.toBeInstanceOf(StartupError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts a sparse ShanghaiTech B image close to its 29 heads, in a worker thread, head points inside the image', async () => {
    const counter = await ThreadedFidtCounter.load({ modelPath: FIDT, threads: 0, maxSide: 640 });
    try {
      expect(counter.info.inputName).toBe('input');
      const r = await counter.count(img);
      expect(r.estimate.method).toBe('density-model');
      expect(r.estimate.count).toBe(r.points.length);
      expect(r.estimate.count).toBeGreaterThanOrEqual(18);
      expect(r.estimate.count).toBeLessThanOrEqual(40);
      expect(r.estimate.low).toBeLessThanOrEqual(r.estimate.count);
      expect(r.estimate.high).toBeGreaterThanOrEqual(r.estimate.count);
      expect(r.inputSize).toEqual({ width: 640, height: 480 });
      for (const p of r.points) {
        expect(p.x).toBeGreaterThanOrEqual(0);
        expect(p.x).toBeLessThan(img.width);
        expect(p.y).toBeLessThan(img.height);
      }
      // A blank image has no heads (map max below 0.1).
      const blank = await counter.count({ width: 320, height: 240, data: new Uint8Array(320 * 240 * 3) });
      expect(blank.estimate.count).toBe(0);
    } finally {
      await counter.close();
    }
  });

  it('the thread passes on a StartupError with its hint', async () => {
    await expect(ThreadedFidtCounter.load({ modelPath: YOLO, threads: 1 })).rejects.toMatchObject({ name: 'StartupError', hint: expect.stringMatching(/fidt_light_B/) });
  });
});
