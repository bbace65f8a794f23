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
