import { compassOf, MovementDirectionAccumulator, type MovementSample } from './movement-direction';

/** n people of height 100 px moving `pxPerFrame` towards `deg` (clockwise from image up). */
function movers(n: number, deg: number, pxPerFrame = 5): MovementSample[] {
  const r = (deg * Math.PI) / 180;
  return Array.from({ length: n }, () => ({ vx: pxPerFrame * Math.sin(r), vy: -pxPerFrame * Math.cos(r), height: 100 }));
}

describe('MovementDirectionAccumulator (5 fps, 100 px people: moving from 0.15 heights/s = 15 px/s = 3 px/frame)', () => {
  it.each([
    { name: 'no samples', frames: [] as MovementSample[][], heading: null, compass: null, coherence: 0, moving: 0 },
    { name: 'everyone still', frames: [[{ vx: 0, vy: 0, height: 100 }, { vx: 0.1, vy: 0, height: 100 }]], heading: null, compass: null, coherence: 0, moving: 0 },
    { name: 'walking up the picture', frames: [movers(4, 0)], heading: 0, compass: 'N', coherence: 1, moving: 4 },
    { name: 'walking right', frames: [movers(4, 90)], heading: 90, compass: 'E', coherence: 1, moving: 4 },
    { name: 'walking down-left', frames: [movers(4, 225)], heading: 225, compass: 'SW', coherence: 1, moving: 4 },
    { name: 'pooled over frames: 2 + 2 movers to the NE', frames: [movers(2, 45), movers(2, 45)], heading: 45, compass: 'NE', coherence: 1, moving: 4 },
    { name: 'too few movers', frames: [movers(2, 90)], heading: null, compass: null, coherence: 1, moving: 2 },
    { name: 'two opposed streams: chaotic, no heading', frames: [[...movers(3, 90), ...movers(3, 270)]], heading: null, compass: null, coherence: 0, moving: 6 },
    { name: 'majority stream with some spread', frames: [[...movers(4, 80), ...movers(4, 100), ...movers(1, 270)]], heading: 90, compass: 'E', coherence: 0.764, moving: 9 },
    { name: 'invalid samples skipped', frames: [[{ vx: NaN, vy: 0, height: 100 }, { vx: 5, vy: 0, height: 0 }, ...movers(3, 180)]], heading: 180, compass: 'S', coherence: 1, moving: 3 },
  ])('$name', ({ frames, heading, compass, coherence, moving }) => {
    const acc = new MovementDirectionAccumulator({ frameRate: 5 });
    for (const f of frames) acc.addFrame(f);
    const out = acc.close();
    if (heading === null) expect(out.headingDeg).toBeNull();
    else expect(out.headingDeg).toBeCloseTo(heading, 1);
    expect(out).toMatchObject({ compass, movingSamples: moving, reference: 'image' });
    expect(out.coherence).toBeCloseTo(coherence, 3);
    // close() starts a new second
    expect(acc.close()).toMatchObject({ headingDeg: null, samples: 0, movingSamples: 0 });
  });

  it('a slow drift below movingHeightsPerS is standing still', () => {
    const acc = new MovementDirectionAccumulator({ frameRate: 5, movingHeightsPerS: 0.15 });
    acc.addFrame(movers(5, 90, 2.9)); // 14.5 px/s = 0.145 heights/s
    expect(acc.close()).toMatchObject({ movingSamples: 0, headingDeg: null });
    acc.addFrame(movers(5, 90, 3.1));
    expect(acc.close()).toMatchObject({ movingSamples: 5, compass: 'E' });
  });

  it.each([
    [0, 'N'], [22.4, 'N'], [22.5, 'NE'], [90, 'E'], [135, 'SE'], [180, 'S'], [225, 'SW'], [270, 'W'], [315, 'NW'], [337.6, 'N'], [-45, 'NW'], [720, 'N'],
  ] as const)('compassOf(%p) = %s', (deg, word) => {
    expect(compassOf(deg)).toBe(word);
  });

  it.each([
    { name: 'frameRate 0', o: { frameRate: 0 } },
    { name: 'minMovers 0', o: { frameRate: 5, minMovers: 0 } },
    { name: 'minCoherence 2', o: { frameRate: 5, minCoherence: 2 } },
    { name: 'negative movingHeightsPerS', o: { frameRate: 5, movingHeightsPerS: -1 } },
  ])('rejects $name', ({ o }) => {
    expect(() => new MovementDirectionAccumulator(o)).toThrow(RangeError);
  });
});
