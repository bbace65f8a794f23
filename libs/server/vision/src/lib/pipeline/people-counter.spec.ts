import type { CountEstimate, Detection } from '@crowdsafe/contracts';
import { DEFAULT_SLICE_CONFIRM_SCORE, PeopleCounter, type PeopleCounterOptions } from './people-counter';
import type { RoiPolygon } from './roi';

const FRAME = { width: 640, height: 480 };

/** A person-sized detection with its feet at (fx, fy). */
function person(fx: number, fy: number, score = 0.9, w = 40, h = 100): Detection {
  return { box: { x1: fx - w / 2, y1: fy - h, x2: fx + w / 2, y2: fy }, score, classId: 0 };
}

/** n people standing still, 80 px apart, feet on y = 300. */
const crowd = (n: number, score = 0.9): Detection[] => Array.from({ length: n }, (_, i) => person(60 + 80 * i, 300, score));

const LEFT_HALF: RoiPolygon = [
  [0, 0],
  [0.5, 0],
  [0.5, 1],
  [0, 1],
];

interface Case {
  name: string;
  frames: Detection[][];
  opts?: Partial<PeopleCounterOptions>;
  roi?: RoiPolygon | null;
  /** Expected estimate per frame: [count, method initial, low, high] with d = 'detection', t = 'tracking'. */
  expected: Array<[number, 'd' | 't', number, number]>;
}

const cases: Case[] = [
  { name: 'no detections at all', frames: [[], [], [], []], expected: [[0, 'd', 0, 0], [0, 'd', 0, 0], [0, 't', 0, 0], [0, 't', 0, 0]] },
  {
    name: 'three people standing: detection count while warming up, then confirmed tracks',
    frames: [crowd(3), crowd(3), crowd(3), crowd(3)],
    expected: [[3, 'd', 3, 3], [3, 'd', 3, 3], [3, 't', 3, 3], [3, 't', 3, 3]],
  },
  {
    name: 'low-score detections: the detection range reaches down to the confident ones',
    frames: [[...crowd(2), person(500, 400, 0.3)]],
    expected: [[3, 'd', 2, 3]],
  },
  {
    name: 'a one-frame false positive never counts once tracking',
    frames: [crowd(2), crowd(2), crowd(2), [...crowd(2), person(500, 450)], crowd(2)],
    // frame 4: the newcomer is a tentative track (high), gone next frame
    expected: [[2, 'd', 2, 2], [2, 'd', 2, 2], [2, 't', 2, 2], [2, 't', 2, 3], [2, 't', 2, 2]],
  },
  {
    name: 'a missed detection: the person drops out of the count but stays in the high end while lost',
    frames: [crowd(3), crowd(3), crowd(3), crowd(2), crowd(3)],
    expected: [[3, 'd', 3, 3], [3, 'd', 3, 3], [3, 't', 3, 3], [2, 't', 2, 3], [3, 't', 3, 3]],
  },
  {
    name: 'coasting keeps a briefly missed person in the count',
    frames: [crowd(3), crowd(3), crowd(3), crowd(2), crowd(3)],
    opts: { coastSeconds: 1 / 25 },
    expected: [[3, 'd', 3, 3], [3, 'd', 3, 3], [3, 't', 3, 3], [3, 't', 2, 3], [3, 't', 3, 3]],
  },
  {
    name: 'ROI: only feet inside the polygon count (people at x = 60, 140, 220, 300, 380)',
    frames: [crowd(5), crowd(5), crowd(5)],
    roi: LEFT_HALF,
    expected: [[4, 'd', 4, 4], [4, 'd', 4, 4], [4, 't', 4, 4]],
  },
  {
    name: 'a newcomer counts after minHits frames',
    frames: [crowd(1), crowd(1), crowd(1), crowd(2), crowd(2), crowd(2)],
    expected: [[1, 'd', 1, 1], [1, 'd', 1, 1], [1, 't', 1, 1], [1, 't', 1, 2], [1, 't', 1, 2], [2, 't', 2, 2]],
  },
];

describe('PeopleCounter', () => {
  it.each(cases)('$name', ({ frames, opts, roi, expected }) => {
    const counter = new PeopleCounter({ frameRate: 25, ...opts });
    const got = frames.map((d) => counter.process(d, undefined, FRAME, roi).count);
    const want = expected.map(([count, m, low, high]): CountEstimate => ({ count, method: m === 'd' ? 'detection' : 'tracking', low, high }));
    expect(got).toEqual(want);
    for (const c of got) expect(c.low <= c.count && c.count <= c.high).toBe(true);
  });

  it('reports confirmed tracks with stable ids and the counted ids', () => {
    const counter = new PeopleCounter({ frameRate: 5 });
    const walk = (f: number): Detection[] => [person(100 + 10 * f, 300), person(400 - 10 * f, 350)];
    const results = [1, 2, 3, 4, 5].map((f) => counter.process(walk(f), f, FRAME));
    expect(results.map((r) => r.tracks.map((t) => t.id))).toEqual([[], [], [1, 2], [1, 2], [1, 2]]);
    expect(results[4].countedIds).toEqual([1, 2]);
    expect(Math.abs(results[4].tracks[0].box.x2 - (150 + 20))).toBeLessThan(3); // Kalman-filtered
    expect(results[4].tracks[0].velocity.vx).toBeGreaterThan(5);
    expect(results[4].tracks[0].timeSinceUpdate).toBe(0);
  });

  it('passes unconfirmed tracks on with the provisional id that links them to the confirmed track (not counted)', () => {
    const counter = new PeopleCounter({ frameRate: 5 });
    const results = [1, 2, 3].map((f) => counter.process([person(100 + 10 * f, 300), ...(f === 2 ? [person(500, 400)] : [])], f, FRAME));
    expect(results.map((r) => r.unconfirmed.map((u) => u.provisionalId))).toEqual([[-1], [-1, -2], []]);
    expect(results.map((r) => r.trackProvisionalIds)).toEqual([[], [], [-1]]);
    expect(results.map((r) => r.tracks.map((t) => t.id))).toEqual([[], [], [1]]);
    expect(results[2].countedIds).toEqual([1]);
    const b = results[1].unconfirmed[1].box;
    expect([b.x1, b.y1, b.x2, b.y2]).toEqual([480, 300, 520, 400]);
  });

  it('a lost track that left the frame is not in the high end', () => {
    const counter = new PeopleCounter({ frameRate: 25 });
    const exit = (f: number): Detection[] => [person(560 + 15 * f, 300)]; // walks right towards the edge
    for (let f = 1; f <= 3; f++) counter.process(exit(f), f, FRAME);
    const highs = [4, 5, 6, 7, 8, 9].map((f) => counter.process([], f, FRAME).count.high);
    // lost inside the frame, then predicted out of it (still kept: 1 lost); the true centre leaves at frame 6, the
    // Kalman prediction (velocity not fully converged after 3 detections) at frame 8
    expect(highs).toEqual([1, 1, 1, 1, 0, 0]);
    expect(counter.stats.lost).toBe(1);
  });

  it('frame rate scales the tracker buffer; reset() warms up again with ids from 1', () => {
    const counter = new PeopleCounter({ frameRate: 5 });
    expect(counter.stats.maxTimeLost).toBe(5); // 30 frames at 30 fps = 1 s = 5 frames at 5 fps
    for (let f = 1; f <= 3; f++) counter.process(crowd(2), f, FRAME);
    counter.reset();
    const r = counter.process(crowd(2), 1, FRAME);
    expect(r.count.method).toBe('detection');
    expect(r.warmingUp).toBe(true);
    counter.process(crowd(2), 2, FRAME);
    expect(counter.process(crowd(2), 3, FRAME).tracks.map((t) => t.id)).toEqual([1, 2]);
  });

  it('tiled detection is reported as such while warming up', () => {
    const counter = new PeopleCounter({ frameRate: 5, detectionMethod: 'tiled-detection' });
    expect(counter.process(crowd(1), 1, FRAME).count.method).toBe('tiled-detection');
  });

  it.each([
    { name: 'zero frame rate', opts: { frameRate: 0 }, error: /frameRate/ },
    { name: 'negative coast', opts: { frameRate: 5, coastSeconds: -1 }, error: /coastSeconds/ },
    { name: 'bad tracker option', opts: { frameRate: 5, tracker: { minHits: 0 } }, error: /minHits/ },
  ])('rejects $name', ({ opts, error }) => {
    expect(() => new PeopleCounter(opts)).toThrow(error);
  });

  it('rejects an empty frame size and a frame index that does not increase', () => {
    const counter = new PeopleCounter({ frameRate: 5 });
    expect(() => counter.process([], 1, { width: 0, height: 10 })).toThrow(/frame size/);
    counter.process([], 3, FRAME);
    expect(() => counter.process([], 3, FRAME)).toThrow(/frameIndex/);
  });
});

describe('PeopleCounter with slice scheduling: low-score detections and coasting', () => {
  const slice = (x: number) => ({ x, y: 0, width: 320, height: 480, kind: 'tile' as const });
  const planned = [slice(0), slice(320)];
  const p = (score = 0.9) => person(100, 300, score);

  it.each([
    // name, counter options, per frame: [detections, low-score detections, slices run], expected count per frame
    ['empty', {}, [], []],
    [
      'a tracked person seen only weakly (below the camera confidence) stays matched through the second association',
      {},
      [[[p()], [], [slice(0)]], [[p()], [], [slice(0)]], [[p()], [], [slice(0)]], [[], [p(0.2)], [slice(0)]], [[], [p(0.2)], [slice(0)]]],
      [1, 1, 1, 1, 1],
    ],
    [
      'without the weak detections, the slice ran and missed twice: dropped from the count',
      {},
      [[[p()], [], [slice(0)]], [[p()], [], [slice(0)]], [[p()], [], [slice(0)]], [[], [], [slice(0)]], [[], [], [slice(0)]]],
      [1, 1, 1, 1, 0],
    ],
    [
      'a weak slice find (0.28, accepted by a camera at 0.25) is counted from its first hit with the default sliceConfirmScore',
      { sliceConfirmScore: DEFAULT_SLICE_CONFIRM_SCORE },
      [[[], [], []], [[], [], []], [[p(0.28)], [], [slice(0)]], [[p(0.28)], [], [slice(0)]], [[p(0.28)], [], [slice(0)]]],
      [0, 0, 1, 1, 1],
    ],
    [
      'the same find with sliceConfirmScore 0.35 (before): its tentative track never matches again (score-fused IoU)',
      { sliceConfirmScore: 0.35 },
      [[[], [], []], [[], [], []], [[p(0.28)], [], [slice(0)]], [[p(0.28)], [], [slice(0)]], [[p(0.28)], [], [slice(0)]], [[p(0.28)], [], [slice(0)]]],
      [0, 0, 0, 0, 0, 0],
    ],
    [
      'a weak find of the global pass (outside the slices run) is not confirmed on its first hit',
      { sliceConfirmScore: DEFAULT_SLICE_CONFIRM_SCORE },
      [[[], [], []], [[], [], []], [[p(0.28)], [], []]],
      [0, 0, 0],
    ],
    [
      'a low-score detection alone never starts a counted track',
      {},
      [[[], [p(0.2)], [slice(0)]], [[], [p(0.2)], [slice(0)]], [[], [p(0.2)], [slice(0)]], [[], [p(0.2)], [slice(0)]]],
      [0, 0, 0, 0],
    ],
    [
      'found by the global pass, then missed while its slice is not run: coasts (output and counted); not once it ran',
      {},
      [[[p()], [], []], [[p()], [], []], [[p()], [], []], [[], [], [slice(320)]], [[], [], [slice(0)]]],
      [1, 1, 1, 1, 0],
    ],
    [
      'the same with coastUnexamined off: not coasted',
      { coastUnexamined: false },
      [[[p()], [], []], [[p()], [], []], [[p()], [], []], [[], [], [slice(320)]], [[], [], [slice(0)]]],
      [1, 1, 1, 0, 0],
    ],
  ] as const)('%s', (_n, opts, frames, counts) => {
    const counter = new PeopleCounter({ frameRate: 5, trackBufferS: 1, sliceConfirmScore: 1, ...opts });
    const got = frames.map(([dets, low, slices], i) => {
      const r = counter.process(dets, i + 1, FRAME, null, undefined, { slices, holdFrames: 6, planned, lowScore: low });
      expect(r.tracks.map((t) => t.id)).toEqual(r.countedIds.slice().sort((a, b) => a - b));
      return r.count.count;
    });
    expect(got).toEqual(counts);
  });
});

describe('PeopleCounter with slice scheduling: carried people follow the pixels (carryMotion)', () => {
  const W = 320;
  const H = 240;
  const slice = { x: 0, y: 0, width: 320, height: 240, kind: 'tile' as const };
  /** RGB frame: grey 100 background with a 16 x 40 checkered "person" at (x, 100). */
  const pixels = (x: number) => {
    const rgb = new Uint8Array(W * H * 3).fill(100);
    for (let y = 100; y < 140; y++) for (let c = x; c < x + 16; c++) rgb.fill((c - x) >> 2 === ((y - 100) >> 2) % 4 ? 30 : 230, (y * W + c) * 3, (y * W + c) * 3 + 3);
    return { width: W, height: H, rgb };
  };
  const seen = (x: number): Detection => ({ box: { x1: x, y1: 100, x2: x + 16, y2: 140 }, score: 0.9, classId: 0 });

  it.each([
    // name, options, pixels given, expected carried box x1 after two unexamined frames (the person walks 6 px/frame)
    ['carryMotion (default): the carried box follows the person', {}, true, 112],
    ['carryMotion off: the carried box stays where it was seen (no velocity after one sighting)', { carryMotion: false }, true, 100],
    ['no pixels given: as off', {}, false, 100],
    ['pixels that are not a whole RGB frame (an empty buffer): as none, no throw', {}, 'empty', 100],
  ] as const)('%s', (_n, opts, withPixels, x1) => {
    const counter = new PeopleCounter({ frameRate: 5, trackBufferS: 1, ...opts });
    const frame = { width: W, height: H };
    const px = (x: number) => (withPixels === 'empty' ? { width: W, height: H, rgb: new Uint8Array(0) } : withPixels ? pixels(x) : undefined);
    counter.process([seen(100)], 1, frame, null, px(100), { slices: [slice], holdFrames: 4, planned: [slice] });
    counter.process([], 2, frame, null, px(106), { slices: [], holdFrames: 4, planned: [slice] });
    const r = counter.process([], 3, frame, null, px(112), { slices: [], holdFrames: 4, planned: [slice] });
    expect(r.count.count).toBe(1);
    expect(r.carried).toBe(1);
    expect(r.tracks[0].box.x1).toBeCloseTo(x1, 0);
  });
});
