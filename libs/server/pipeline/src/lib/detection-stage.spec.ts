import type { RawFrame } from '@crowdsafe/contracts';
import { PassBudgetAllocator } from '@crowdsafe/vision';
import { CameraScheduling, zoomedSlices } from './detection-stage';

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

  it.each([
    // name, sliceFindConfidence option, lowScoreFloor, camera confidence, kept / low (scores; 'in' = centre in a slice run now)
    ['default: a slice find from 0.25 is reported, the global pass keeps the camera 0.5', undefined, undefined, 0.5, ['0.9 out', '0.3 in'], ['0.3 out', '0.2 in']],
    ['sliceFindConfidence null: the camera confidence everywhere', null, undefined, 0.5, ['0.9 out'], ['0.3 in', '0.3 out', '0.2 in']],
    ['sliceFindConfidence 0.35: 0.3 stays low', 0.35, undefined, 0.5, ['0.9 out'], ['0.3 in', '0.3 out', '0.2 in']],
    ['floor off: nothing below the camera confidence is asked for, nothing moves', undefined, null, 0.5, ['0.9 out', '0.3 in', '0.3 out', '0.2 in'], []],
  ] as const)('slice finds: %s', (_n, sliceConf, floor, conf, kept, low) => {
    const s = new CameraScheduling('c', 5, { refreshS: 1, sliceFindConfidence: sliceConf, lowScoreFloor: floor });
    // The map is not learnt yet: the whole frame is sliced in rotation once the allocator has granted slice passes.
    let plan = s.next({ ...frame, width: 1920, height: 1080 }, { confidence: conf });
    for (let i = 1; i < 5 && plan.examined.slices.length === 0; i++) plan = s.next({ ...frame, width: 1920, height: 1080, capturedAt: frame.capturedAt + i * 200 }, { confidence: conf });
    const r = plan.examined.slices[0];
    expect(r).toBeDefined();
    const at = (score: number, inSlice: boolean) => {
      const cx = inSlice ? r.x + r.width / 2 : r.x + r.width + 200;
      const cy = inSlice ? r.y + r.height / 2 : 1000;
      return { box: { x1: cx - 5, y1: cy - 10, x2: cx + 5, y2: cy + 10 }, score, classId: 0 };
    };
    const name = (d: { score: number; box: { x1: number } }) => `${d.score} ${d.box.x1 + 5 === r.x + r.width / 2 ? 'in' : 'out'}`;
    const out = s.split(plan, [at(0.9, false), at(0.3, true), at(0.3, false), at(0.2, true)]);
    expect(out.detections.map(name)).toEqual(kept);
    expect((out.examined.lowScore ?? []).map(name)).toEqual(low);
  });

  it.each([
    // name, frame, slices (side), expected zoomed sides
    ['empty', [1920, 1080], [], []],
    ['1080p: 1:1 640 slices show people 3x larger than the global pass', [1920, 1080], [640, 640], [640, 640]],
    ['hall 1280x720: 2x', [1280, 720], [640], [640]],
    ['640x480 (TUD-Campus): 480 px slices are only 1.33x', [640, 480], [480], []],
    ['1080p: a 1000 px slice (1.92x) is, a 1400 px one (1.37x) is not', [1920, 1080], [1000, 1400], [1000]],
  ] as const)('zoomedSlices: %s', (_n, [width, height], sides, expected) => {
    const got = zoomedSlices(sides.map((side) => ({ x: 0, y: 0, width: side, height: side })), { width, height }, 640);
    expect(got.map((r) => r.width)).toEqual(expected);
  });

  it('an eye-level 640x480 camera: its slices zoom too little, a 0.3 slice find stays low-score', () => {
    const s = new CameraScheduling('c', 5, { refreshS: 1 });
    const f = { ...frame, width: 640, height: 480 };
    const plan = s.next(f, { confidence: 0.5 });
    const withSlice = { ...plan, examined: { ...plan.examined, slices: [{ x: 0, y: 0, width: 480, height: 480, kind: 'tile' as const }] }, zoomedSlices: zoomedSlices([{ x: 0, y: 0, width: 480, height: 480 }], f, 640) };
    const out = s.split(withSlice, [{ box: { x1: 100, y1: 100, x2: 120, y2: 140 }, score: 0.3, classId: 0 }]);
    expect(out.detections).toEqual([]);
    expect(out.examined.lowScore?.map((d) => d.score)).toEqual([0.3]);
  });

  it.each([[-0.5], [2], [Number.NaN]])('rejects sliceFindConfidence %p, naming it', (c) => {
    expect(() => new CameraScheduling('c', 5, { refreshS: 1, sliceFindConfidence: c })).toThrow(/sliceFindConfidence/);
  });
});
