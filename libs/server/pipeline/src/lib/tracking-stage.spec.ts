import type { Detection, RawFrame } from '@crowdsafe/contracts';
import { TrackingStage } from './tracking-stage';

const box = (i: number): Detection => ({ box: { x1: 20 + 60 * i, y1: 100, x2: 60 + 60 * i, y2: 300 }, score: 0.9, classId: 0 });
const people = (n: number) => Array.from({ length: n }, (_, i) => box(i));
const frame = (seq: number, capturedAt = seq * 200): RawFrame => ({ cameraId: 'cam-1', seq, capturedAt, width: 640, height: 360, data: new Uint8Array(0) });

/** Feeds `frames` (seq, capturedAt, people, broke?) and returns the tracker resets after each. */
function run(frames: Array<[number, number, number, boolean?]>) {
  const t = new TrackingStage({ fps: 5 }, { detectionMethod: 'detection' });
  return frames.map(([seq, at, n, broke]) => {
    if (broke) t.streamBroke();
    const s = t.track(frame(seq, at), people(n));
    return { reset: s.reset, count: s.count.count, tracks: s.tracks.length, warmUp: s.warmUp.length };
  });
}

describe('TrackingStage', () => {
  it.each([
    { name: 'no frames: nothing', frames: [] as Array<[number, number, number, boolean?]>, resets: [] as boolean[] },
    { name: 'a steady stream: no reset', frames: [[1, 200, 3], [2, 400, 3], [3, 600, 3]] as Array<[number, number, number, boolean?]>, resets: [false, false, false] },
    { name: 'a seq gap (frames dropped upstream): no reset', frames: [[1, 200, 3], [2, 400, 3], [6, 1200, 3]] as Array<[number, number, number, boolean?]>, resets: [false, false, false] },
    { name: 'seq going backwards: reset', frames: [[5, 200, 3], [6, 400, 3], [1, 600, 3]] as Array<[number, number, number, boolean?]>, resets: [false, false, true] },
    { name: 'the stream broke: reset', frames: [[1, 200, 3], [2, 400, 3], [3, 600, 3, true]] as Array<[number, number, number, boolean?]>, resets: [false, false, true] },
    { name: 'a capture gap longer than tracks live: reset', frames: [[1, 200, 3], [2, 400, 3], [3, 60_000, 3]] as Array<[number, number, number, boolean?]>, resets: [false, false, true] },
  ])('$name', ({ frames, resets }) => {
    expect(run(frames).map((r) => r.reset)).toEqual(resets);
  });

  it('counts the detections while warming up, the confirmed tracks after', () => {
    const r = run([[1, 200, 3], [2, 400, 3], [3, 600, 3], [4, 800, 3]]);
    expect(r.map((x) => x.count)).toEqual([3, 3, 3, 3]);
    expect(r[r.length - 1].tracks).toBe(3);
  });

  it('hands its tentative tracks on while warming up (densities count them), none once warmed up', () => {
    const r = run([[1, 200, 3], [2, 400, 3], [3, 600, 3], [4, 800, 3], [5, 60_000, 3]]);
    // Frames 1-2: warming up, 3 tentative tracks each. Frames 3-4: confirmed. Frame 5: a long gap resets it.
    expect(r.map((x) => x.warmUp)).toEqual([3, 3, 0, 0, 3]);
    expect(r.map((x) => x.tracks)).toEqual([0, 0, 3, 3, 0]);
    expect(r.map((x) => x.count)).toEqual([3, 3, 3, 3, 3]);
  });
});
