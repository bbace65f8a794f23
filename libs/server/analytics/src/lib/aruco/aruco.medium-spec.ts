// Round trip through real image files: the synthetic floor is written with sharp (PNG, and JPEG like a camera
// snapshot), read back with sharp as raw RGB, detected and calibrated.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Test-only I/O: the type:domain ban on sharp protects production code; this spec reads files like a camera would.
// eslint-disable-next-line @nx/enforce-module-boundaries
import sharp from 'sharp';
import { applyHomography } from '../homography';
import { inv3 } from '../linalg';
import { pinholeCamera } from '../../testing/synthetic';
import { calibrateFromMarkers } from './calibrate';
import { detectMarkers } from './detect';
import { renderScene, type SceneMarker } from './render.test-util';

const cam = pinholeCamera({ width: 640, height: 480, focalPx: 600, heightM: 4, tiltDeg: 45, y: -4 });
const truth = inv3(cam.groundToImage) as number[];
const MARKERS: SceneMarker[] = [
  { id: 3, sizeM: 0.5, center: [-1.5, -0.5] },
  { id: 17, sizeM: 0.5, center: [1.5, 2.5], rotationDeg: 30 },
];

describe('ArUco calibration from an image file', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crowdsafe-aruco-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    { format: 'png' as const, floorM: 0.1 },
    { format: 'jpeg' as const, floorM: 0.1 },
  ])('$format snapshot -> markers -> calibration (< $floorM m over the frame)', async ({ format, floorM }) => {
    const img = renderScene({ width: 640, height: 480, groundToImage: cam.groundToImage, dictionary: 'ARUCO_4X4_1000', markers: MARKERS, noise: 2 });
    const path = join(dir, `floor.${format}`);
    const raw = sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 3 } });
    await (format === 'png' ? raw.png() : raw.jpeg({ quality: 85 })).toFile(path);

    const { data, info } = await sharp(path).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const detections = detectMarkers({ width: info.width, height: info.height, data }, { dictionary: 'ARUCO_4X4_1000' });
    expect(detections.map((d) => d.id).sort((a, b) => a - b)).toEqual([3, 17]);

    const r = calibrateFromMarkers({
      frame: { width: info.width, height: info.height },
      detections,
      layout: Object.fromEntries(MARKERS.map((m) => [m.id, { sizeM: m.sizeM, center: m.center, rotationDeg: m.rotationDeg }])),
    });
    expect(r.issues).toEqual([]);
    if (!r.ok) throw new Error('calibration failed');
    const h = r.value.calibration.imageToGround as number[];
    let max = 0;
    for (let y = 0; y <= 480; y += 48) {
      for (let x = 0; x <= 640; x += 64) {
        const a = applyHomography(h, x, y) as [number, number];
        const b = applyHomography(truth, x, y) as [number, number];
        max = Math.max(max, Math.hypot(a[0] - b[0], a[1] - b[1]));
      }
    }
    expect(max).toBeLessThan(floorM);
    expect(r.value.calibration.floorAreaM2).toBeCloseTo(54.74, 0);
  });
});
