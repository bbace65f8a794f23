import type { RawFrame } from '@crowdsafe/contracts';
import { PassBudgetAllocator } from '@crowdsafe/vision';
import { CameraScheduling } from './detection-stage';

// Issue #13's bad-input clause: a camera whose person-size map cannot be learnt (an empty scene) falls back to
// slicing everything at the budget, and says so in its health.
describe('CameraScheduling, empty scene (person-size map never learnt)', () => {
  const W = 1280;
  const H = 720;
  const frame = (i: number): RawFrame => ({ cameraId: 'empty', seq: i + 1, capturedAt: 1_700_000_000_000 + i * 200, width: W, height: H, data: new Uint8Array(0) });

  it('slices the whole frame in rotation within the budget and reports fallback with its reason', () => {
    const scheduling = new CameraScheduling('empty', 5, { refreshS: 1, allocator: new PassBudgetAllocator() });
    const covered = new Uint8Array(W * H);
    let passes = 0;
    const frames = 25; // 5 s at 5 fps
    for (let i = 0; i < frames; i++) {
      const plan = scheduling.next(frame(i), { confidence: 0.35 });
      expect(plan.detect.tiling).toBeUndefined();
      passes += 1 + (plan.detect.slices?.length ?? 0);
      for (const s of plan.detect.slices ?? []) for (let y = s.y; y < s.y + s.height; y++) covered.fill(1, y * W + s.x, y * W + s.x + s.width);
      scheduling.observe([]); // nobody, ever
    }
    // Every pixel of the frame examined by a slice; the budget (2.5 x fps passes) never exceeded.
    expect(covered.every((v) => v === 1)).toBe(true);
    expect(passes / frames).toBeLessThanOrEqual(2.5 + 1e-9);
    const health = scheduling.health();
    expect(health).toMatchObject({ mode: 'fallback', sizeMapSamples: 0 });
    expect(health.plannedSlices).toBeGreaterThan(0);
    expect(health.reason).toMatch(/^person-size map not learnt yet \(0 people seen\): slicing the whole frame at the budget/);
  });
});

// Issue #13: the budget follows the measured capacity; when even the global passes do not fit, every camera's health
// says so (before its own scheduler reason), and no slices are run.
describe('CameraScheduling under the shared, measured budget', () => {
  const frame = (cameraId: string, i: number): RawFrame => ({ cameraId, seq: i + 1, capturedAt: 1_700_000_000_000 + i * 200, width: 1280, height: 720, data: new Uint8Array(0) });

  it.each([
    // name, measured capacity (passes/s, null = none yet), cameras at 5 fps -> slices per frame at most, reason
    ['no measurement: each camera on its own cap', null, 2, 1.5, /^person-size map not learnt/],
    ['enough for the frame rates: slices share the rest', 20, 2, 0.7, /^person-size map not learnt/],
    ['global passes short: no slices, the shortfall first', 8, 2, 0, /^model passes short for the frame rates: 6\.8 passes\/s .* about 3\.4 of 5 fps for this camera; /],
  ] as const)('%s', (_n, measured, cameras, maxSlicesPerFrame, reason) => {
    const allocator = new PassBudgetAllocator();
    allocator.setMeasuredCapacity(measured);
    const s = Array.from({ length: cameras }, (_, c) => new CameraScheduling(`c${c}`, 5, { refreshS: 1, allocator }));
    let slices = 0;
    for (let i = 0; i < 25; i++)
      for (const [c, sc] of s.entries()) {
        slices += sc.next(frame(`c${c}`, i), {}).detect.slices?.length ?? 0;
        sc.observe([]);
      }
    expect(slices / (25 * cameras)).toBeLessThanOrEqual(maxSlicesPerFrame + 0.05);
    for (const sc of s) expect(sc.health().reason).toMatch(reason);
  });
});

describe('CameraScheduling, low-score floor (BYTE)', () => {
  const frame: RawFrame = { cameraId: 'c', seq: 1, capturedAt: 1_700_000_000_000, width: 1280, height: 720, data: new Uint8Array(0) };
  const det = (score: number) => ({ box: { x1: 0, y1: 0, x2: 10, y2: 20 }, score, classId: 0 });

  it.each([
    // name, lowScoreFloor option, camera confidence, detector confidence asked, split kept / low
    ['default floor 0.25 below the camera 0.35', undefined, 0.35, 0.25, [0.9, 0.35], [0.2, 0.12]],
    ['off (null): the camera confidence, nothing low', null, 0.35, 0.35, [0.9, 0.35, 0.2, 0.12], []],
    ['camera confidence at or below the floor: unchanged', 0.1, 0.1, 0.1, [0.9, 0.35, 0.2, 0.12], []],
    ['no camera confidence: unchanged, nothing low', undefined, undefined, undefined, [0.9, 0.35, 0.2, 0.12], []],
  ] as const)('%s', (_n, floor, conf, asked, kept, low) => {
    const s = new CameraScheduling('c', 5, { refreshS: 1, lowScoreFloor: floor });
    const plan = s.next(frame, conf === undefined ? {} : { confidence: conf });
    expect(plan.detect.confidence).toBe(asked);
    const out = s.split(plan, [det(0.9), det(0.35), det(0.2), det(0.12)]);
    expect(out.detections.map((d) => d.score)).toEqual(kept);
    expect((out.examined.lowScore ?? []).map((d) => d.score)).toEqual(low);
    expect(out.examined.planned).toBe(plan.examined.planned);
  });

  it.each([[-0.5], [2]])('rejects lowScoreFloor %p, naming it', (floor) => {
    expect(() => new CameraScheduling('c', 5, { refreshS: 1, lowScoreFloor: floor })).toThrow(/lowScoreFloor/);
  });
});
