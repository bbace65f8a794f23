import { DetectionSettingsError, parseDetectionSettings, resolveDetectOptions } from './detection-settings';
import { footInRoi } from './roi';

const DEFAULTS = { confidence: 0.5, iou: 0.7, maxDetections: 1000 };

describe('parseDetectionSettings', () => {
  it.each([
    { name: 'absent', raw: undefined, expected: {} },
    { name: 'null', raw: null, expected: {} },
    { name: 'empty object', raw: {}, expected: {} },
    { name: 'all fields', raw: { confidence: 0.25, iou: 0.6, maxDetections: 300, tiling: 'auto', roi: [[0, 0], [1, 0], [0.5, 1]] }, expected: { confidence: 0.25, iou: 0.6, maxDetections: 300, tiling: 'auto', roi: [[0, 0], [1, 0], [0.5, 1]] } },
    { name: 'roi null = whole frame', raw: { roi: null }, expected: { roi: null } },
    { name: 'gmc for a moving camera', raw: { gmc: 'sparseOptFlow' }, expected: { gmc: 'sparseOptFlow' } },
  ])('accepts $name', ({ raw, expected }) => {
    expect(parseDetectionSettings(raw)).toEqual(expected);
  });

  it.each([
    { name: 'not an object', raw: 0.3, problems: ['settings.detection must be an object, got 0.3'] },
    { name: 'an array', raw: [], problems: ['settings.detection must be an object, got []'] },
    { name: 'unknown keys', raw: { confidance: 0.3, nms: 1 }, problems: ["settings.detection has unknown keys 'confidance', 'nms' (allowed: confidence, iou, maxDetections, tiling, roi, gmc)"] },
    { name: 'confidence out of range', raw: { confidence: 0 }, problems: ['settings.detection.confidence must be a number in [0.01, 1], got 0'] },
    { name: 'iou as a string', raw: { iou: '0.5' }, problems: ['settings.detection.iou must be a number in [0.01, 1], got "0.5"'] },
    { name: 'fractional maxDetections', raw: { maxDetections: 2.5 }, problems: ['settings.detection.maxDetections must be an integer in [1, 10000], got 2.5'] },
    { name: 'unknown gmc method', raw: { gmc: 'ecc' }, problems: ["settings.detection.gmc must be one of 'off', 'sparseOptFlow', got \"ecc\""] },
    { name: 'bad tiling', raw: { tiling: true }, problems: ["settings.detection.tiling must be one of 'off', 'on', 'auto', 'scheduled', got true"] },
    { name: 'roi too short', raw: { roi: [[0, 0], [1, 1]] }, problems: ['settings.detection.roi must be an array of 3 to 64 [x, y] points normalised to the frame (0..1), got [[0,0],[1,1]]'] },
    { name: 'roi in pixels', raw: { roi: [[0, 0], [640, 0], [0, 480]] }, problems: ['settings.detection.roi[1] must be [x, y] with 0 <= x, y <= 1 (fractions of the frame), got [640,0]', 'settings.detection.roi[2] must be [x, y] with 0 <= x, y <= 1 (fractions of the frame), got [0,480]'] },
    { name: 'degenerate roi', raw: { roi: [[0, 0], [0.5, 0.5], [1, 1]] }, problems: ['settings.detection.roi encloses no area'] },
    { name: 'several problems at once', raw: { confidence: 2, tiling: 'yes' }, problems: ['settings.detection.confidence must be a number in [0.01, 1], got 2', "settings.detection.tiling must be one of 'off', 'on', 'auto', 'scheduled', got \"yes\""] },
  ])('rejects $name, naming every problem', ({ raw, problems }) => {
    let error: unknown;
    try {
      parseDetectionSettings(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DetectionSettingsError);
    expect((error as DetectionSettingsError).problems).toEqual(problems);
    expect((error as Error).message).toBe(`invalid detection settings: ${problems.join('; ')}`);
  });
});

describe('resolveDetectOptions', () => {
  it.each([
    { name: 'no settings: the global config', settings: {}, expected: DEFAULTS },
    { name: 'per-camera values win', settings: { confidence: 0.25, maxDetections: 50 }, expected: { ...DEFAULTS, confidence: 0.25, maxDetections: 50 } },
    { name: 'tiling only when set', settings: { tiling: 'on' as const }, expected: { ...DEFAULTS, tiling: 'on' } },
  ])('$name', ({ settings, expected }) => {
    expect(resolveDetectOptions(settings, DEFAULTS)).toEqual(expected);
  });
});

describe('footInRoi', () => {
  const frame = { width: 200, height: 100 };
  const box = (x: number, y2: number) => ({ x1: x - 5, y1: y2 - 20, x2: x + 5, y2 });
  const triangle = [[0, 0], [1, 0], [0, 1]] as const;
  it.each([
    { name: 'no roi: everything', roi: null, x: 199, y2: 99, inside: true },
    { name: 'inside the triangle', roi: triangle, x: 20, y2: 20, inside: true },
    { name: 'outside the triangle', roi: triangle, x: 180, y2: 90, inside: false },
    { name: 'feet below the frame are clamped to its edge', roi: [[0, 0.5], [1, 0.5], [1, 1.0], [0, 1.0]] as const, x: 100, y2: 140, inside: true },
  ])('$name', ({ roi, x, y2, inside }) => {
    expect(footInRoi(box(x, y2), frame, roi)).toBe(inside);
  });
});
