import type { TrackedPerson } from '@crowdsafe/contracts';
import { AutoCalibrationSetup } from './auto-analytics';
import { SecondMovements } from './movement';
import { movementMetadataOf } from './second-result';

const person = (x: number, foot: number, vx: number, vy: number, timeSinceUpdate = 0): TrackedPerson => {
  const h = 0.4 * (foot + 100);
  return { id: 1, box: { x1: x - h / 6, y1: foot - h, x2: x + h / 6, y2: foot }, score: 0.9, timeSinceUpdate, velocity: { vx, vy } };
};
const walkers = (vx: number, vy: number, lost = 0) => Array.from({ length: 5 }, (_, i) => person(100 + 100 * i, 150 + 40 * i, vx, vy, i < lost ? 2 : 0));

describe('SecondMovements', () => {
  it.each([
    { name: 'empty second', frames: [] as Array<[number, TrackedPerson[]]>, at: 0, compass: null, samples: 0 },
    { name: 'five people walking right in second 0', frames: [[100, walkers(10, 0)], [300, walkers(10, 0)]] as Array<[number, TrackedPerson[]]>, at: 0, compass: 'E', samples: 10 },
    { name: 'seconds are kept apart', frames: [[100, walkers(10, 0)], [1100, walkers(-10, 0)]] as Array<[number, TrackedPerson[]]>, at: 1000, compass: 'W', samples: 5 },
    { name: 'coasting tracks (not matched this frame) are left out', frames: [[100, walkers(10, 0, 3)]] as Array<[number, TrackedPerson[]]>, at: 0, compass: null, samples: 2 },
  ])('$name', ({ frames, at, compass, samples }) => {
    const s = new SecondMovements(5);
    for (const [t, tracks] of frames) s.add(t, tracks);
    const m = s.take(at);
    expect(m).toMatchObject({ compass, samples });
    expect(movementMetadataOf(m)).toMatchObject({ compass, samples });
    // taken seconds (and older ones) are gone
    expect(s.take(at)).toMatchObject({ samples: 0, headingDeg: null });
  });

  it('keeps at most 64 open seconds', () => {
    const s = new SecondMovements(5);
    for (let k = 0; k < 200; k++) s.add(k * 1000, walkers(10, 0));
    expect(s.take(0).samples).toBe(0); // dropped long ago
    expect(s.take(199_000).samples).toBe(5);
  });
});

describe('AutoCalibrationSetup', () => {
  const frame = { width: 640, height: 360 };
  const scene = (k: number) => Array.from({ length: 10 }, (_, i) => person(30 + 60 * i, 100 + 25 * i, 0, 0, k % 7 === 0 && i === 0 ? 1 : 0));

  it('gives a setup once, when the first estimate appears, then only on a material change', () => {
    const a = new AutoCalibrationSetup();
    const emitted: number[] = [];
    for (let k = 0; k < 100; k++) if (a.observe(frame, scene(k))) emitted.push(k);
    expect(emitted.length).toBe(1);
    expect(emitted[0]).toBeGreaterThanOrEqual(14); // 150 matched samples (9-10 per frame)
    expect(emitted[0]).toBeLessThanOrEqual(20);
    expect(a.currentFit?.model).toBe('perspective');
    // People now look 30 % taller at every row (another scene behind the same camera): replaced.
    let replaced = false;
    for (let k = 0; k < 300 && !replaced; k++) {
      const tall = scene(k).map((t) => ({ ...t, box: { ...t.box, y1: t.box.y2 - 1.3 * (t.box.y2 - t.box.y1) } }));
      replaced = a.observe(frame, tall) !== null;
    }
    expect(replaced).toBe(true);
  });

  it.each([
    { name: 'no tracks', tracks: [] as TrackedPerson[] },
    { name: 'only coasting tracks', tracks: Array.from({ length: 10 }, (_, i) => person(30 + 60 * i, 100 + 25 * i, 0, 0, 3)) },
  ])('$name: never a setup', ({ tracks }) => {
    const a = new AutoCalibrationSetup();
    for (let k = 0; k < 100; k++) expect(a.observe(frame, tracks)).toBeNull();
    expect(a.currentFit).toBeNull();
  });

  it('a new frame size starts over', () => {
    const a = new AutoCalibrationSetup();
    for (let k = 0; k < 40; k++) a.observe(frame, scene(k));
    expect(a.currentFit).not.toBeNull();
    expect(a.observe({ width: 1280, height: 720 }, scene(0))).toBeNull();
    expect(a.currentFit).toBeNull();
  });
});
