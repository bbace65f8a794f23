import type { Detection, TrackedPerson } from '@crowdsafe/contracts';
import { liveOverlayOf, type ProcessedOverlay } from './live-overlay';

const box = (i: number): Detection => ({ box: { x1: 20 + 60 * i, y1: 100, x2: 60 + 60 * i, y2: 300 }, score: 0.9, classId: 0 });

describe('liveOverlayOf', () => {
  const processed: ProcessedOverlay = { seq: 4, capturedAt: 10_000, width: 640, height: 360, detections: [box(0), box(1)], tracks: [], count: 2 };
  const frame = (capturedAt: number, width = 640) => ({ capturedAt, width, height: 360 });
  it.each([
    { name: 'nothing processed yet: no boxes, the fallback count, no capture time', o: null, f: frame(10_100), boxes: 0, count: 7, capturedAt: undefined },
    { name: 'fresh overlay: its boxes, count and capture time', o: processed, f: frame(10_400), boxes: 2, count: 2, capturedAt: 10_000 },
    { name: 'exactly maxAgeMs old: still drawn', o: processed, f: frame(13_000), boxes: 2, count: 2, capturedAt: 10_000 },
    { name: 'older than maxAgeMs (detection stalled): no boxes, count and its age kept', o: processed, f: frame(13_001), boxes: 0, count: 2, capturedAt: 10_000 },
    { name: 'frame size changed (new stream): no boxes', o: processed, f: frame(10_100, 1280), boxes: 0, count: 2, capturedAt: 10_000 },
  ])('$name', ({ o, f, boxes, count, capturedAt }) => {
    const r = liveOverlayOf(o, f, 3000, 7);
    expect(r.detections).toHaveLength(boxes);
    expect(r.count).toBe(count);
    expect(r.capturedAt).toBe(capturedAt);
  });

  const walker = (id: number, x: number, vx: number): TrackedPerson => ({
    id, box: { x1: x, y1: 100, x2: x + 20, y2: 160 }, score: 0.8, timeSinceUpdate: 0, velocity: { vx, vy: 2 },
  });
  const tracked: ProcessedOverlay = { ...processed, tracks: [walker(1, 100, 10), walker(2, 610, 10)] };
  it.each([
    { name: 'no tracker rate: tracks and detections as processed', fps: 0, f: frame(10_400), x1: [100, 610], dets: 2 },
    { name: 'same instant: nothing to move', fps: 5, f: frame(10_000), x1: [100, 610], dets: 2 },
    { name: '400 ms newer at 5 fps: moved 2 tracker frames along the velocity, kept inside the frame', fps: 5, f: frame(10_400), x1: [120, 620], dets: 2 },
  ])('extrapolates tracks to the picture: $name', ({ fps, f, x1, dets }) => {
    const r = liveOverlayOf(tracked, f, 3000, 7, fps);
    expect(r.tracks.map((t) => t.box.x1)).toEqual(x1);
    expect(r.detections).toHaveLength(dets);
    if (fps && f.capturedAt > tracked.capturedAt) {
      expect(r.tracks[0]?.box.y1).toBe(104);
      expect(r.detections.map((d) => d.box)).toEqual(r.tracks.map((t) => t.box));
    }
    expect(tracked.tracks[0]?.box.x1).toBe(100); // the processed overlay is not mutated
  });
});
