import type { AppConfig } from '@crowdsafe/server-config';
import { alertTimingOf, runtimeDetectionOf } from './camera-supervisor';

const config = {
  inference: { confidence: 0.5, iou: 0.7, maxDetections: 1000 },
  cameras: { defaultFps: 5 },
} as unknown as Pick<AppConfig, 'inference' | 'cameras'>;

describe('runtimeDetectionOf', () => {
  it.each([
    { name: 'no settings: global config at the default fps', camera: { settings: {}, targetFps: 0 }, detect: { confidence: 0.5, iou: 0.7, maxDetections: 1000 }, counting: { fps: 5, roi: null, gmc: 'off' } },
    { name: 'other settings keys are left to their owners', camera: { settings: { alerts: { x: 1 } }, targetFps: 10 }, detect: { confidence: 0.5, iou: 0.7, maxDetections: 1000 }, counting: { fps: 10, roi: null, gmc: 'off' } },
    {
      name: 'per-camera detection settings and ROI',
      camera: { settings: { detection: { confidence: 0.25, tiling: 'auto', roi: [[0, 0.5], [1, 0.5], [1, 1], [0, 1]] } }, targetFps: 2 },
      detect: { confidence: 0.25, iou: 0.7, maxDetections: 1000, tiling: 'auto' },
      counting: { fps: 2, roi: [[0, 0.5], [1, 0.5], [1, 1], [0, 1]], gmc: 'off' },
    },
    {
      name: 'a moving camera with motion compensation',
      camera: { settings: { detection: { gmc: 'sparseOptFlow' } }, targetFps: 5 },
      detect: { confidence: 0.5, iou: 0.7, maxDetections: 1000 },
      counting: { fps: 5, roi: null, gmc: 'sparseOptFlow' },
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

describe('alertTimingOf', () => {
  const alertsConfig = { alerts: { cooldownMs: 5000, allClearMs: 0 } } as Pick<AppConfig, 'alerts'>;
  /** A settings store holding `saved` (key -> seconds, version 1); unsaved keys show their clamped default at version 0. */
  const store = (saved: Partial<Record<'cooldownS' | 'allClearS', number>>) => ({
    get: ((_c: string, k: 'cooldownS' | 'allClearS') => saved[k] ?? { cooldownS: 10, allClearS: 0 }[k]) as never,
    view: ((_c: string, k: 'cooldownS' | 'allClearS') => ({ version: saved[k] === undefined ? 0 : 1 })) as never,
  });
  it.each([
    { name: 'no settings service: the configuration', settings: null, expected: { cooldownMs: 5000, allClearMs: 0 } },
    { name: 'nothing saved: the configuration verbatim (not the clamped default)', settings: store({}), expected: { cooldownMs: 5000, allClearMs: 0 } },
    { name: 'cooldown saved', settings: store({ cooldownS: 120 }), expected: { cooldownMs: 120_000, allClearMs: 0 } },
    { name: 'both saved', settings: store({ cooldownS: 30, allClearS: 45 }), expected: { cooldownMs: 30_000, allClearMs: 45_000 } },
  ])('$name', ({ settings, expected }) => {
    expect(alertTimingOf(alertsConfig, settings)).toEqual(expected);
  });
});
