// Integration: the estimated camera motion keeps BoT-SORT ids through a camera pan (like the tracking gmc spec,
// which passes a hand-made affine, but with SparseOptFlowGmc's estimate from rendered frames).
import type { Detection } from '@crowdsafe/contracts';
import { BotSortTracker } from '../tracking/bot-sort';
import type { Affine2x3 } from '../tracking/gmc';
import type { GrayFrame } from './gray-frame';
import { SparseOptFlowGmc } from './sparse-opt-flow';
import { renderFrame, type SyntheticPerson } from './testing/synthetic.test-util';

const W = 480;
const H = 320;
const FRAMES = 30;
/** Camera x offset per frame (1-based): still for 5 frames, pans 15 px/frame for 15 frames, then still. */
const pan = (f: number): number => 15 * Math.min(15, Math.max(0, f - 5));

/** Five distant people (14 x 36 px) standing still in world coordinates. */
const WORLD_PEOPLE = [
  [250, 40],
  [300, 110],
  [350, 190],
  [400, 60],
  [440, 250],
].map(([x, y], k) => ({ x, y, seed: 500 + k }));

function scene(f: number): { frame: GrayFrame; detections: Detection[]; people: SyntheticPerson[] } {
  const dx = -pan(f);
  const people = WORLD_PEOPLE.map((p) => ({
    box: { x1: p.x + dx, y1: p.y, x2: p.x + dx + 14, y2: p.y + 36 },
    seed: p.seed,
  }));
  const frame = renderFrame(W, H, [1, 0, dx, 0, 1, 0], { seed: 11, people, noise: 2, noiseSeed: f });
  return { frame, detections: people.map((p) => ({ box: p.box, score: 0.9, classId: 0 })), people };
}

describe('SparseOptFlowGmc with BotSortTracker: camera pan of 15 px/frame, 5 people still in the world', () => {
  const frames = Array.from({ length: FRAMES }, (_, i) => scene(i + 1));

  it('the scenes are valid: people stay in view and move 15 px/frame in the image during the pan', () => {
    for (const { people } of frames) {
      for (const p of people) expect(p.box.x1 >= 0 && p.box.x2 <= W).toBe(true);
    }
    expect(frames[6].people[0].box.x1 - frames[5].people[0].box.x1).toBe(-15);
  });

  it('with the estimated warp: the same 5 ids on every frame from confirmation on, none lost', () => {
    const gmc = new SparseOptFlowGmc();
    const tracker = new BotSortTracker();
    const warps: Affine2x3[] = [];
    frames.forEach(({ frame, detections }, i) => {
      const warp = gmc.estimate(frame, detections);
      warps.push(warp);
      const out = tracker.update(detections, i + 1, warp);
      if (i + 1 >= 3) {
        expect(out.tracks.map((t) => t.id).sort()).toEqual([1, 2, 3, 4, 5]);
        expect(out.lost).toEqual([]);
      }
    });
    expect(tracker.stats.nextId).toBe(6);
    // The estimates themselves: -15 px during the pan, 0 when still (within 0.3 px).
    for (let f = 2; f <= FRAMES; f++) {
      const w = warps[f - 1];
      const expected = -(pan(f) - pan(f - 1));
      expect(Math.abs(w[2] - expected)).toBeLessThan(0.3);
      expect(Math.abs(w[5])).toBeLessThan(0.3);
    }
  });

  it('without compensation: tracks are lost during the pan and ids churn', () => {
    const tracker = new BotSortTracker();
    let minConfirmedDuringPan = Infinity;
    frames.forEach(({ detections }, i) => {
      const out = tracker.update(detections, i + 1);
      if (i + 1 >= 7 && i + 1 <= 20) minConfirmedDuringPan = Math.min(minConfirmedDuringPan, out.tracks.length);
    });
    expect(minConfirmedDuringPan).toBe(0);
    expect(tracker.stats.nextId - 1).toBeGreaterThan(5);
  });
});
