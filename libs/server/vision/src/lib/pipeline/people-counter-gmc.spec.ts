// PeopleCounter with gmc 'sparseOptFlow': fed the frames' RGB pixels, it estimates the camera's motion and keeps the
// same confirmed people (ids and count) through a camera pan; with gmc 'off' the count collapses during the pan.
import type { Detection } from '@crowdsafe/contracts';
import { renderFrame } from '../gmc/testing/synthetic.test-util';
import { PeopleCounter } from './people-counter';

const W = 480;
const H = 320;
/** Camera x offset per frame (1-based): still for 5 frames, pans 15 px/frame for 15 frames, then still. */
const pan = (f: number): number => 15 * Math.min(15, Math.max(0, f - 5));
const WORLD_PEOPLE = [[250, 40], [300, 110], [350, 190], [400, 60], [440, 250]].map(([x, y], k) => ({ x, y, seed: 500 + k }));

function frame(f: number): { detections: Detection[]; rgb: Uint8Array } {
  const dx = -pan(f);
  const people = WORLD_PEOPLE.map((p) => ({ box: { x1: p.x + dx, y1: p.y, x2: p.x + dx + 14, y2: p.y + 36 }, seed: p.seed }));
  const gray = renderFrame(W, H, [1, 0, dx, 0, 1, 0], { seed: 11, people, noise: 2, noiseSeed: f });
  const rgb = new Uint8Array(W * H * 3);
  for (let i = 0; i < W * H; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = gray.data[i];
  return { detections: people.map((p) => ({ box: p.box, score: 0.9, classId: 0 })), rgb };
}

describe('PeopleCounter global motion compensation', () => {
  const frames = Array.from({ length: 30 }, (_, i) => frame(i + 1));

  it.each([
    { gmc: 'sparseOptFlow' as const, minCountDuringPan: 5, idsIssued: 5 },
    { gmc: 'off' as const, minCountDuringPan: 0, idsIssued: undefined },
  ])('gmc $gmc', ({ gmc, minCountDuringPan, idsIssued }) => {
    const counter = new PeopleCounter({ frameRate: 10, gmc });
    let minCount = Infinity;
    frames.forEach(({ detections, rgb }, i) => {
      const r = counter.process(detections, i + 1, { width: W, height: H }, undefined, { width: W, height: H, rgb });
      if (i + 1 >= 7 && i + 1 <= 20) minCount = Math.min(minCount, r.count.count);
    });
    expect(minCount).toBe(minCountDuringPan);
    if (idsIssued !== undefined) expect(counter.stats.nextId - 1).toBe(idsIssued);
    else expect(counter.stats.nextId - 1).toBeGreaterThan(5);
  });

  it('without pixels the GMC is skipped (identity), like gmc off', () => {
    const counter = new PeopleCounter({ frameRate: 10, gmc: 'sparseOptFlow' });
    frames.forEach(({ detections }, i) => counter.process(detections, i + 1, { width: W, height: H }));
    expect(counter.stats.nextId - 1).toBeGreaterThan(5);
  });
});
