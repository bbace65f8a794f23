import type { AppConfig } from '@crowdsafe/server-config';
import { runtimeDetectionOf } from './camera-supervisor';

const config = {
  inference: { confidence: 0.5, iou: 0.7, maxDetections: 1000 },
  cameras: { defaultFps: 5 },
} as unknown as Pick<AppConfig, 'inference' | 'cameras'>;

describe('runtimeDetectionOf', () => {
  it.each([
    { name: 'no settings: global config at the default fps', camera: { settings: {}, targetFps: 0 }, detect: { confidence: 0.5, iou: 0.7, maxDetections: 1000 }, counting: { fps: 5, roi: null } },
    { name: 'other settings keys are left to their owners', camera: { settings: { alerts: { x: 1 } }, targetFps: 10 }, detect: { confidence: 0.5, iou: 0.7, maxDetections: 1000 }, counting: { fps: 10, roi: null } },
    {
      name: 'per-camera detection settings and ROI',
      camera: { settings: { detection: { confidence: 0.25, tiling: 'auto', roi: [[0, 0.5], [1, 0.5], [1, 1], [0, 1]] } }, targetFps: 2 },
      detect: { confidence: 0.25, iou: 0.7, maxDetections: 1000, tiling: 'auto' },
      counting: { fps: 2, roi: [[0, 0.5], [1, 0.5], [1, 1], [0, 1]] },
    },
  ])('$name', ({ camera, detect, counting }) => {
    expect(runtimeDetectionOf(camera, config)).toEqual({ detect, counting });
  });

  it('names every bad field', () => {
    expect(() => runtimeDetectionOf({ settings: { detection: { confidence: 5, roi: 'left' } }, targetFps: 5 }, config)).toThrow(
      'invalid detection settings: settings.detection.confidence must be a number in [0.01, 1], got 5; settings.detection.roi must be an array of 3 to 64 [x, y] points normalised to the frame (0..1), got "left"',
    );
  });
});
