import type { Detection } from '@crowdsafe/contracts';
import { BotSortTracker, directionConsistency, kalmanWeightsFor } from './bot-sort';
import type { BotSortOptions, TrackerOutput } from './types';

/** A person-sized detection centred at (cx, cy). */
function det(cx: number, cy: number, score = 0.9, w = 40, h = 100, classId = 0): Detection {
  return { box: { x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2 }, score, classId };
}

function frames(n: number, at: (f: number) => Detection[]): Detection[][] {
  return Array.from({ length: n }, (_, i) => at(i + 1)); // frames are 1-based
}

/** [id, detectionIndex] per frame, from segments [fromFrame, toFrame, pairs]; frames not covered expect []. */
type Pairs = Array<[number, number]>;
function expand(n: number, segments: Array<[number, number, Pairs]>): Pairs[] {
  const out: Pairs[] = Array.from({ length: n }, () => []);
  for (const [from, to, pairs] of segments) for (let f = from; f <= to; f++) out[f - 1] = pairs;
  return out;
}
function expandIds(n: number, segments: Array<[number, number, number[]]>): number[][] {
  const out: number[][] = Array.from({ length: n }, () => []);
  for (const [from, to, ids] of segments) for (let f = from; f <= to; f++) out[f - 1] = ids;
  return out;
}

function run(input: Detection[][], opts?: Partial<BotSortOptions>, affines?: Array<number[] | undefined>): TrackerOutput[] {
  const tracker = new BotSortTracker(opts);
  return input.map((d, i) => tracker.update(d, undefined, affines?.[i]));
}

const walk = (f: number): number => 100 + 3 * f; // 3 px/frame to the right

interface Scenario {
  name: string;
  input: Detection[][];
  opts?: Partial<BotSortOptions>;
  affines?: Array<number[] | undefined>;
  /** Confirmed [id, detectionIndex] per frame. */
  tracks: Array<[number, number, Pairs]>;
  /** Lost ids per frame (default: none ever). */
  lost?: Array<[number, number, number[]]>;
  /** Tentative ids per frame (default: not checked). */
  tentative?: Array<[number, number, number[]]>;
}

const scenarios: Scenario[] = [
  { name: 'no detections', input: frames(10, () => []), tracks: [], tentative: [] },
  {
    name: 'one person walking steadily: one id, confirmed on the 3rd frame',
    input: frames(20, (f) => [det(walk(f), 200)]),
    tracks: [[3, 20, [[1, 0]]]],
    tentative: [[1, 2, [-1]]],
  },
  {
    name: 'two people crossing paths keep their ids',
    input: frames(80, (f) => [det(100 + 4 * f, 200), det(424 - 4 * f, 230)]),
    tracks: [[3, 80, [[1, 0], [2, 1]]]],
    tentative: [[1, 2, [-1, -2]]],
  },
  {
    name: 'two people crossing, detection order swapped every frame',
    input: frames(80, (f) =>
      f % 2 ? [det(100 + 4 * f, 200), det(424 - 4 * f, 230)] : [det(424 - 4 * f, 230), det(100 + 4 * f, 200)],
    ),
    tracks: [
      [3, 3, [[1, 0], [2, 1]]],
      ...Array.from({ length: 77 }, (_, k): [number, number, Pairs] => {
        const f = k + 4;
        return [f, f, f % 2 ? [[1, 0], [2, 1]] : [[1, 1], [2, 0]]];
      }),
    ],
  },
  {
    name: 'occluded for 20 frames, reappears near the prediction: same id',
    input: frames(60, (f) => (f > 30 && f <= 50 ? [] : [det(walk(f), 200)])),
    tracks: [[3, 30, [[1, 0]]], [51, 60, [[1, 0]]]],
    lost: [[31, 50, [1]]],
  },
  {
    name: 'occluded for 40 frames (> buffer of 30): new id after 3 frames',
    input: frames(80, (f) => (f > 30 && f <= 70 ? [] : [det(walk(f), 200)])),
    tracks: [[3, 30, [[1, 0]]], [73, 80, [[2, 0]]]],
    lost: [[31, 60, [1]]], // kept exactly maxTimeLost frames
    tentative: [[1, 2, [-1]], [71, 72, [-2]]],
  },
  {
    name: 'buffer scales with frame rate: 15 fps keeps a lost track 15 frames',
    input: frames(60, (f) => (f > 30 && f <= 50 ? [] : [det(walk(f), 200)])),
    opts: { frameRate: 15 },
    tracks: [[3, 30, [[1, 0]]], [53, 60, [[2, 0]]]],
    lost: [[31, 45, [1]]],
  },
  {
    name: 'buffer scales with frame rate: 60 fps bridges a 40-frame gap',
    input: frames(80, (f) => (f > 30 && f <= 70 ? [] : [det(walk(f), 200)])),
    opts: { frameRate: 60 },
    tracks: [[3, 30, [[1, 0]]], [71, 80, [[1, 0]]]],
    lost: [[31, 70, [1]]],
  },
  {
    name: 'detection flickering every other frame after confirmation: one id, no churn',
    input: frames(50, (f) => (f <= 10 || f % 2 === 1 ? [det(100 + 2 * f, 200)] : [])),
    tracks: [
      [3, 11, [[1, 0]]],
      ...Array.from({ length: 39 }, (_, k): [number, number, Pairs] => [k + 12, k + 12, (k + 12) % 2 ? [[1, 0]] : []]),
    ],
    lost: Array.from({ length: 20 }, (_, k): [number, number, number[]] => [12 + 2 * k, 12 + 2 * k, [1]]),
  },
  {
    // Ultralytics drops an unconfirmed track on its first miss, so a never-stable detection is never confirmed.
    name: 'detection flickering from the first frame is never confirmed',
    input: frames(20, (f) => (f % 2 === 1 ? [det(100 + 2 * f, 200)] : [])),
    tracks: [],
    tentative: Array.from({ length: 20 }, (_, k): [number, number, number[]] => [k + 1, k + 1, k % 2 ? [] : [-(k / 2 + 1)]]),
  },
  {
    name: 'low-score detection (0.1 < 0.15 < 0.25) keeps a confirmed track alive (second association)',
    input: frames(25, (f) => [det(100 + 2 * f, 200, f <= 10 ? 0.9 : 0.15)]),
    tracks: [[3, 25, [[1, 0]]]],
  },
  {
    name: 'score at or below trackLowThresh is ignored: the track is lost',
    input: frames(25, (f) => [det(100 + 2 * f, 200, f <= 10 ? 0.9 : 0.1)]),
    tracks: [[3, 10, [[1, 0]]]],
    lost: [[11, 25, [1]]],
  },
  {
    name: 'low-score detections alone never start a track',
    input: frames(10, () => [det(100, 200, 0.2)]),
    tracks: [],
    tentative: [],
  },
  {
    name: 'spurious single-frame detection never becomes a confirmed track',
    input: frames(20, (f) => (f === 5 ? [det(walk(f), 200), det(600, 400)] : [det(walk(f), 200)])),
    tracks: [[3, 20, [[1, 0]]]],
    tentative: [[1, 2, [-1]], [5, 5, [-2]]],
  },
  {
    name: 'minHits 1 confirms on the first frame',
    input: frames(5, (f) => [det(walk(f), 200)]),
    opts: { minHits: 1 },
    tracks: [[1, 5, [[1, 0]]]],
    tentative: [],
  },
  {
    name: 'camera pan of -60 px compensated by the affine: same id, never lost',
    input: frames(20, (f) => [det(walk(f) - (f > 10 ? 60 : 0), 200)]),
    affines: Array.from({ length: 20 }, (_, i) => (i + 1 === 11 ? [1, 0, -60, 0, 1, 0] : undefined)),
    tracks: [[3, 20, [[1, 0]]]],
  },
  {
    name: 'the same pan without compensation loses the track and starts a new one',
    input: frames(20, (f) => [det(walk(f) - (f > 10 ? 60 : 0), 200)]),
    tracks: [[3, 10, [[1, 0]]], [13, 20, [[2, 0]]]],
    lost: [[11, 20, [1]]],
  },
];

describe('BotSortTracker scenarios', () => {
  it.each(scenarios)('$name', ({ input, opts, affines, tracks, lost, tentative }) => {
    const out = run(input, opts, affines);
    const n = input.length;
    expect(out.map((o) => o.tracks.map((t): [number, number] => [t.id, t.detectionIndex]))).toEqual(expand(n, tracks));
    expect(out.map((o) => o.lost.map((t) => t.id))).toEqual(expandIds(n, lost ?? []));
    if (tentative) expect(out.map((o) => o.tentative.map((t) => t.id))).toEqual(expandIds(n, tentative));
    expect(out.map((o) => o.frameIndex)).toEqual(input.map((_, i) => i + 1));
  });
});

describe('BotSortTracker track fields', () => {
  it('reports the Kalman box, velocity in px/frame, hits, age and time since update', () => {
    const tracker = new BotSortTracker();
    let out: TrackerOutput | undefined;
    for (let f = 1; f <= 30; f++) out = tracker.update([det(walk(f), 200, 0.8, 40, 100, 0)]);
    const [t] = out?.tracks ?? [];
    expect(t).toMatchObject({ id: 1, score: 0.8, classId: 0, state: 'tracked', hits: 30, age: 30, timeSinceUpdate: 0 });
    expect(t.detectionIndex).toBe(0);
    expect(t.velocity.vx).toBeCloseTo(3, 1);
    expect(t.velocity.vy).toBeCloseTo(0, 6);
    expect(t.box.x1).toBeCloseTo(walk(30) - 20, 0);
    expect(t.box.y2).toBeCloseTo(250, 3);
    // three frames without a detection: lost, predicted forward
    for (let f = 31; f <= 33; f++) out = tracker.update([]);
    const [l] = out?.lost ?? [];
    expect(l).toMatchObject({ id: 1, state: 'lost', hits: 30, age: 33, timeSinceUpdate: 3, detectionIndex: -1 });
    expect((l.box.x1 + l.box.x2) / 2).toBeCloseTo(walk(33), 0);
  });

  it('tentative tracks carry provisional negative ids and get the next positive id on confirmation', () => {
    const tracker = new BotSortTracker();
    const a = tracker.update([det(100, 200), det(300, 200)]);
    expect(a.tentative.map((t) => [t.id, t.state, t.hits])).toEqual([
      [-1, 'tentative', 1],
      [-2, 'tentative', 1],
    ]);
    tracker.update([det(100, 200), det(300, 200)]);
    const c = tracker.update([det(100, 200), det(300, 200)]);
    expect(c.tracks.map((t) => [t.id, t.state, t.hits])).toEqual([
      [1, 'tracked', 3],
      [2, 'tracked', 3],
    ]);
    expect(c.tentative).toEqual([]);
  });

  it('skips invalid detections and counts them', () => {
    const tracker = new BotSortTracker();
    const bad: Detection[] = [
      { box: { x1: NaN, y1: 0, x2: 10, y2: 10 }, score: 0.9, classId: 0 },
      { box: { x1: 10, y1: 0, x2: 10, y2: 10 }, score: 0.9, classId: 0 },
      { box: { x1: 10, y1: 20, x2: 20, y2: 10 }, score: 0.9, classId: 0 },
      { box: { x1: 0, y1: 0, x2: 10, y2: 10 }, score: Infinity, classId: 0 },
    ];
    const out = tracker.update(bad);
    expect(out.tentative).toEqual([]);
    expect(tracker.stats.invalidDetections).toBe(4);
  });

  it('explicit frame indices: a gap of dropped frames is predicted across, indices must increase', () => {
    const tracker = new BotSortTracker();
    for (let f = 1; f <= 10; f++) tracker.update([det(walk(f), 200)], f);
    const out = tracker.update([det(walk(16), 200)], 16);
    expect(out.frameIndex).toBe(16);
    expect(out.tracks.map((t) => [t.id, t.age])).toEqual([[1, 16]]);
    expect(() => tracker.update([], 16)).toThrow(RangeError);
    expect(() => tracker.update([], 16.5)).toThrow(RangeError);
    expect(tracker.update([]).frameIndex).toBe(17);
  });

  it.each([
    { name: 'affine of 5 values', affine: [1, 0, 0, 0, 1] },
    { name: 'non-finite affine', affine: [1, 0, NaN, 0, 1, 0] },
  ])('rejects $name', ({ affine }) => {
    expect(() => new BotSortTracker().update([], undefined, affine)).toThrow(RangeError);
  });

  it('reset forgets tracks and restarts ids at 1', () => {
    const tracker = new BotSortTracker();
    for (let f = 1; f <= 5; f++) tracker.update([det(walk(f), 200), det(walk(f), 500)]);
    expect(tracker.stats.nextId).toBe(3);
    tracker.reset();
    expect(tracker.stats).toMatchObject({ frames: 0, frameIndex: 0, tracked: 0, tentative: 0, lost: 0, nextId: 1 });
    let out: TrackerOutput | undefined;
    for (let f = 1; f <= 3; f++) out = tracker.update([det(walk(f), 500)]);
    expect(out?.tracks.map((t) => t.id)).toEqual([1]);
  });
});

describe('BotSortTracker confirmOnFirstHit', () => {
  it('a new track started by a vouched-for detection is confirmed on its first hit; the others wait for minHits', () => {
    const tracker = new BotSortTracker();
    const first = tracker.update([det(100, 200), det(400, 200)], 1, undefined, new Set([1]));
    expect(first.tracks.map((t) => [t.id, t.detectionIndex, t.confirmed])).toEqual([[1, 1, true]]);
    expect(first.tentative).toHaveLength(1);
    // The vouched set only starts tracks: an existing tentative track is not confirmed by it.
    const second = tracker.update([det(100, 200), det(400, 200)], 2, undefined, new Set([0]));
    expect(second.tracks.map((t) => t.detectionIndex)).toEqual([1]);
    const third = tracker.update([det(100, 200), det(400, 200)], 3);
    expect(third.tracks.map((t) => t.detectionIndex).sort()).toEqual([0, 1]);
  });
});

describe('BotSortTracker options', () => {
  it('defaults follow botsort.yaml plus minHits 3, 30 fps', () => {
    const tracker = new BotSortTracker();
    expect(tracker.options).toEqual({
      trackHighThresh: 0.25,
      trackLowThresh: 0.1,
      newTrackThresh: 0.25,
      activateThresh: 1,
      trackBufferS: 1,
      matchThresh: 0.8,
      lowMatchThresh: 0.5,
      fuseScore: true,
      iouBufferS: 0.5,
      kalmanReferenceFps: 30,
      sizeVelocity: false,
      directionWeight: 0,
      directionDeltaS: 0.4,
      reupdateOnRefind: false,
      recoveryGate: 0,
      minHits: 3,
      frameRate: 30,
    });
    expect(tracker.maxTimeLost).toBe(30);
    expect(tracker.iouBuffer).toBeCloseTo(0.5 / 30, 12);
  });

  it.each([
    { name: '1 s at 30 fps', opts: { frameRate: 30 }, maxTimeLost: 30 },
    { name: '1 s at 25 fps', opts: { frameRate: 25 }, maxTimeLost: 25 },
    { name: '1 s at 5 fps', opts: { frameRate: 5 }, maxTimeLost: 5 },
    { name: '2.5 s at 5 fps', opts: { frameRate: 5, trackBufferS: 2.5 }, maxTimeLost: 13 },
    { name: '0 s', opts: { frameRate: 5, trackBufferS: 0 }, maxTimeLost: 0 },
  ])('track buffer in seconds: $name -> $maxTimeLost frames', ({ opts, maxTimeLost }) => {
    expect(new BotSortTracker(opts).maxTimeLost).toBe(maxTimeLost);
  });

  it.each([
    { name: 'off', opts: { frameRate: 25, iouBufferS: 0 }, buffer: 0 },
    { name: 'default 0.5/s at 5 fps', opts: { frameRate: 5 }, buffer: 0.1 },
    { name: '1/s at 25 fps', opts: { frameRate: 25, iouBufferS: 1 }, buffer: 0.04 },
    { name: '1/s at 5 fps', opts: { frameRate: 5, iouBufferS: 1 }, buffer: 0.2 },
    { name: 'capped at 0.5', opts: { frameRate: 1, iouBufferS: 3 }, buffer: 0.5 },
  ])('buffered IoU scales with the frame interval: $name', ({ opts, buffer }) => {
    expect(new BotSortTracker(opts).iouBuffer).toBeCloseTo(buffer, 10);
  });

  it.each([
    { name: 'trackHighThresh > 1', opts: { trackHighThresh: 1.5 } },
    { name: 'low above high', opts: { trackLowThresh: 0.5, trackHighThresh: 0.4 } },
    { name: 'negative matchThresh', opts: { matchThresh: -0.1 } },
    { name: 'NaN newTrackThresh', opts: { newTrackThresh: NaN } },
    { name: 'negative trackBufferS', opts: { trackBufferS: -1 } },
    { name: 'infinite trackBufferS', opts: { trackBufferS: Infinity } },
    { name: 'activateThresh > 1', opts: { activateThresh: 1.2 } },
    { name: 'NaN lowMatchThresh', opts: { lowMatchThresh: NaN } },
    { name: 'negative iouBufferS', opts: { iouBufferS: -0.5 } },
    { name: 'negative kalmanReferenceFps', opts: { kalmanReferenceFps: -30 } },
    { name: 'minHits 0', opts: { minHits: 0 } },
    { name: 'directionWeight > 1', opts: { directionWeight: 1.5 } },
    { name: 'directionDeltaS 0', opts: { directionDeltaS: 0 } },
    { name: 'negative recoveryGate', opts: { recoveryGate: -1 } },
    { name: 'non-boolean sizeVelocity', opts: { sizeVelocity: 1 as unknown as boolean } },
    { name: 'non-boolean reupdateOnRefind', opts: { reupdateOnRefind: 'yes' as unknown as boolean } },
    { name: 'frameRate 0', opts: { frameRate: 0 } },
  ])('rejects $name', ({ opts }) => {
    expect(() => new BotSortTracker(opts)).toThrow(RangeError);
  });
});

describe('BotSortTracker memory', () => {
  it('100,000 short-lived ids (2,000 frames x 50 new people living 3 frames) keep internal sizes bounded', () => {
    const tracker = new BotSortTracker();
    const perFrame = 50;
    const life = 3;
    const cohorts = 2000;
    // person k stands still at a unique position, so a later person is never mistaken for a lost one
    const at = (k: number): Detection => det((k % 500) * 60, Math.floor(k / 500) * 150);
    const bound = perFrame * life + perFrame * (tracker.maxTimeLost + 1);
    let maxRetained = 0;
    for (let f = 1; f <= cohorts + life - 1; f++) {
      const dets: Detection[] = [];
      for (let c = Math.max(1, f - life + 1); c <= Math.min(f, cohorts); c++) {
        for (let i = 0; i < perFrame; i++) dets.push(at((c - 1) * perFrame + i));
      }
      tracker.update(dets);
      const s = tracker.stats;
      maxRetained = Math.max(maxRetained, s.tracked + s.tentative + s.lost + s.removed);
    }
    expect(tracker.stats.confirmedTotal).toBe(100_000);
    expect(tracker.stats.nextId).toBe(100_001);
    expect(maxRetained).toBeLessThanOrEqual(bound);
    for (let f = 0; f <= tracker.maxTimeLost + 1; f++) tracker.update([]);
    expect(tracker.stats).toMatchObject({ tracked: 0, tentative: 0, lost: 0, removed: 0, removedTotal: 100_000 });
  });
});

/** [id, confirmed] of the tracks, activated tentative tracks (positive id) and lost tracks, per frame. */
function activationTrace(out: TrackerOutput[]): string[] {
  return out.map((o) => {
    const show = (ts: TrackerOutput['tracks']) => ts.map((t) => `${t.id}${t.confirmed ? 'c' : ''}`).join(',');
    return `T[${show(o.tracks)}] A[${show(o.tentative.filter((t) => t.id > 0))}] N${o.tentative.filter((t) => t.id < 0).length} L[${show(o.lost)}]`;
  });
}

describe('BotSortTracker activation on the first frame (activateThresh) and confirmation (minHits)', () => {
  const still = (score: number) => frames(4, () => [det(200, 200, score)]);
  const blink = (score: number) => frames(5, (f) => (f === 2 ? [] : [det(walk(f), 200, score)]));
  it.each([
    { name: 'empty input', input: frames(3, () => []), opts: { activateThresh: 0.6 }, trace: ['T[] A[] N0 L[]', 'T[] A[] N0 L[]', 'T[] A[] N0 L[]'] },
    {
      name: 'off (default): tentative until the 3rd hit, then activated and confirmed together',
      input: still(0.9),
      opts: {},
      trace: ['T[] A[] N1 L[]', 'T[] A[] N1 L[]', 'T[1c] A[] N0 L[]', 'T[1c] A[] N0 L[]'],
    },
    {
      name: 'high score: id on the first frame, not confirmed (not counted) before the 3rd hit',
      input: still(0.9),
      opts: { activateThresh: 0.6 },
      trace: ['T[] A[1] N0 L[]', 'T[] A[1] N0 L[]', 'T[1c] A[] N0 L[]', 'T[1c] A[] N0 L[]'],
    },
    {
      name: 'score below activateThresh: tentative as before',
      input: still(0.5),
      opts: { activateThresh: 0.6 },
      trace: ['T[] A[] N1 L[]', 'T[] A[] N1 L[]', 'T[1c] A[] N0 L[]', 'T[1c] A[] N0 L[]'],
    },
    {
      name: 'activated track missed once survives as lost and keeps its id',
      input: blink(0.9),
      opts: { activateThresh: 0.6 },
      trace: ['T[] A[1] N0 L[]', 'T[] A[] N0 L[1]', 'T[] A[1] N0 L[]', 'T[1c] A[] N0 L[]', 'T[1c] A[] N0 L[]'],
    },
    {
      name: 'tentative track missed once is removed and restarts with a new provisional id',
      input: blink(0.9),
      opts: {},
      trace: ['T[] A[] N1 L[]', 'T[] A[] N0 L[]', 'T[] A[] N1 L[]', 'T[] A[] N1 L[]', 'T[1c] A[] N0 L[]'],
    },
    {
      name: 'a one-frame false positive gets an id but is never confirmed and expires after the buffer',
      input: frames(5, (f) => (f === 1 ? [det(200, 200, 0.95)] : [])),
      opts: { activateThresh: 0.6, frameRate: 2, trackBufferS: 1 },
      trace: ['T[] A[1] N0 L[]', 'T[] A[] N0 L[1]', 'T[] A[] N0 L[1]', 'T[] A[] N0 L[]', 'T[] A[] N0 L[]'],
    },
  ])('$name', ({ input, opts, trace }) => {
    expect(activationTrace(run(input, opts))).toEqual(trace);
  });

  it('stats count activations and confirmations separately', () => {
    const tracker = new BotSortTracker({ activateThresh: 0.6 });
    tracker.update([det(100, 200, 0.9), det(400, 200, 0.9)]);
    for (let f = 0; f < 3; f++) tracker.update([det(100, 200, 0.9)]);
    expect(tracker.stats).toMatchObject({ activatedTotal: 2, confirmedTotal: 1, nextId: 3 });
  });
});

describe('BotSortTracker second association (low-score detections) and buffered IoU', () => {
  // A confirmed person whose detection drops to 0.15 (occlusion) for frames 6-8: kept by the low-score stage.
  const dip = frames(10, (f) => [det(walk(f), 200, f >= 6 && f <= 8 ? 0.15 : 0.9)]);
  // A person jumping 30 px a frame (fast walker at a low frame rate; box 40 px wide).
  const fast = frames(8, (f) => [det(100 + 30 * f, 200, 0.9)]);
  it.each([
    { name: 'no detections', input: frames(3, () => []), opts: {}, ids: [[], [], []] },
    { name: 'low-score dip: still tracked by the second association', input: dip, opts: {}, ids: [[], [], [1], [1], [1], [1], [1], [1], [1], [1]] },
    {
      name: 'low-score dip with lowMatchThresh 0 (second stage off): lost for the dip, same id after',
      input: dip,
      opts: { lowMatchThresh: 0 },
      ids: [[], [], [1], [1], [1], [], [], [], [1], [1]],
    },
    { name: 'fast mover, plain IoU: tentative tracks never overlap their next detection', input: fast, opts: { frameRate: 5, iouBufferS: 0 }, ids: [[], [], [], [], [], [], [], []] },
    {
      name: 'fast mover, buffered IoU 2.5/s at 5 fps (0.5 per side): confirmed on the 3rd frame',
      input: fast,
      opts: { frameRate: 5, iouBufferS: 2.5 },
      ids: [[], [], [1], [1], [1], [1], [1], [1]],
    },
  ])('$name', ({ input, opts, ids }) => {
    expect(run(input, opts).map((o) => o.tracks.map((t) => t.id))).toEqual(ids);
  });
});

describe('BotSortTracker Kalman noise scaled to the frame interval (kalmanReferenceFps)', () => {
  it.each([
    { name: 'off: Ultralytics weights per step', o: { kalmanReferenceFps: 0, frameRate: 5 }, p: 1 / 20, v: 1 / 160 },
    { name: '30 fps stream, reference 30: unchanged', o: { kalmanReferenceFps: 30, frameRate: 30 }, p: 1 / 20, v: 1 / 160 },
    { name: '5 fps: a step is 6 frames', o: { kalmanReferenceFps: 30, frameRate: 5 }, p: Math.sqrt(6) / 20, v: 6 ** 1.5 / 160 },
    { name: '60 fps: half a frame', o: { kalmanReferenceFps: 30, frameRate: 60 }, p: Math.sqrt(0.5) / 20, v: 0.5 ** 1.5 / 160 },
  ])('$name', ({ o, p, v }) => {
    const w = kalmanWeightsFor(o);
    expect(w.stdWeightPosition).toBeCloseTo(p, 12);
    expect(w.stdWeightVelocity).toBeCloseTo(v, 12);
  });

  /** Estimated vx per frame of a walker at 15 px per frame seen at 5 fps. */
  const velocities = (opts: Partial<BotSortOptions>): number[] => {
    const tracker = new BotSortTracker({ frameRate: 5, iouBufferS: 0, ...opts });
    return Array.from({ length: 6 }, (_, i) => {
      const out = tracker.update([det(100 + 15 * (i + 1), 200)]);
      return [...out.tracks, ...out.tentative][0].velocity.vx;
    });
  };

  it('at 5 fps the velocity converges within 2 steps (was still 16 % low after 6)', () => {
    const scaled = velocities({});
    const perStep = velocities({ kalmanReferenceFps: 0 });
    expect(Math.abs(scaled[2] - 15)).toBeLessThan(0.5);
    expect(Math.abs(scaled[5] - 15)).toBeLessThan(0.1);
    expect(perStep[5]).toBeLessThan(13);
  });
});

describe('BotSortTracker motion model and association refinements', () => {
  /** Ids of the confirmed tracks matched per frame. */
  const ids = (input: Detection[][], opts: Partial<BotSortOptions>): number[][] => run(input, opts).map((o) => o.tracks.map((t) => t.id));
  const box = (x1: number, x2: number, score = 0.9): Detection => ({ box: { x1, y1: 100, x2, y2: 200 }, score, classId: 0 });

  // 5 fps, a standing person 60 px wide whose box shrinks to 40 then 20 px (walking behind a pillar, right edge
  // fixed) and comes back at full width on the next frame.
  const pillar = [box(100, 160), box(100, 160), box(100, 160), box(120, 160), box(140, 160), box(100, 160), box(100, 160)].map((d) => [d]);
  // 30 fps, 80 px wide, walking right 20 px a frame; on frame 4 its detection is missing and someone walking the
  // other way is detected 24 px behind its last position (overlapping its prediction).
  const crossing = [
    ...[0, 1, 2].map((k) => [det(100 + 20 * k, 200, 0.9, 80)]),
    [det(116, 200, 0.9, 80)],
  ];
  // 30 fps, walking right 10 px a frame for 5 frames, unseen for 4, found again where it was last seen (it stopped).
  const stopped = [...[0, 1, 2, 3, 4].map((k) => [det(100 + 10 * k, 200)]), [], [], [], [], [det(140, 200)], [det(140, 200)]];

  it.each([
    {
      name: 'sizeVelocity on: the shrinking box predicts a vanishing one, the person gets a new id when it reappears',
      input: pillar,
      opts: { frameRate: 5, sizeVelocity: true },
      want: [[], [], [1], [1], [1], [], []],
    },
    {
      name: 'sizeVelocity off (default): constant-size prediction, same id after the occlusion',
      input: pillar,
      opts: { frameRate: 5 },
      want: [[], [], [1], [1], [1], [1], [1]],
    },
    { name: 'directionWeight 0: the track takes the detection behind it', input: crossing, opts: {}, want: [[], [], [1], [1]] },
    {
      name: 'directionWeight 0.5: a detection against the direction of travel is refused',
      input: crossing,
      opts: { directionWeight: 0.5 },
      want: [[], [], [1], []],
    },
    {
      name: 'recoveryGate 0: the prediction ran ahead, no overlap, a new track starts',
      input: stopped,
      opts: {},
      want: [[], [], [1], [1], [1], [], [], [], [], [], []],
    },
    {
      name: 'recoveryGate 1: found again within one box height of its prediction, same id',
      input: stopped,
      opts: { recoveryGate: 1 },
      want: [[], [], [1], [1], [1], [], [], [], [], [1], [1]],
    },
  ])('$name', ({ input, opts, want }) => {
    expect(ids(input, opts)).toEqual(want);
  });

  it('recovery needs a similar height: a detection 2x taller within the gate starts a new track', () => {
    const input = [...stopped.slice(0, 9), [det(140, 200, 0.9, 80, 200)]];
    const out = run(input, { recoveryGate: 1 });
    expect(out[9].tracks).toEqual([]);
    expect(out[9].lost.map((t) => t.id)).toEqual([1]);
  });

  it('reupdateOnRefind: after a gap the velocity is the one the two observations imply, not the coasting one', () => {
    // 10 px a frame for 6 frames, unseen for 2, found 12 px further (4 px a frame over the gap), then still 4 px.
    const input = [...[0, 1, 2, 3, 4, 5].map((k) => [det(100 + 10 * k, 200)]), [], [], [det(162, 200)]];
    const vx = (opts: Partial<BotSortOptions>): number => {
      const out = run(input, opts);
      return out[out.length - 1].tracks[0].velocity.vx;
    };
    const plain = vx({});
    const oru = vx({ reupdateOnRefind: true });
    expect(Math.abs(oru - 4)).toBeLessThan(Math.abs(plain - 4));
    expect(oru).toBeLessThan(plain);
  });

  it('reupdateOnRefind leaves a track matched every frame exactly as without it', () => {
    const input = frames(12, (f) => [det(walk(f), 200), det(400 - 2 * f, 260)]);
    const strip = (o: TrackerOutput[]) => o.map((x) => x.tracks.map((t) => [t.id, t.box, t.velocity]));
    expect(strip(run(input, { reupdateOnRefind: true }))).toEqual(strip(run(input, {})));
  });

  const track = (points: Array<[number, number]>, h = 100) => ({
    history: points.map(([cx, cy], k) => ({ frame: k + 1, cx, cy })),
    kf: { mean: Float64Array.of(0, 0, 40, h, 0, 0, 0, 0), covariance: new Float64Array(64) },
  });
  it.each([
    { name: 'same direction', points: [[0, 0], [20, 0]], to: [40, 0], want: 0.5 },
    { name: 'opposite direction', points: [[0, 0], [20, 0]], to: [0, 0], want: -0.5 },
    { name: 'perpendicular', points: [[0, 0], [20, 0]], to: [20, 20], want: 0 },
    { name: '45 degrees', points: [[0, 0], [20, 0]], to: [40, 20], want: 0.25 },
    { name: 'one observation: no direction', points: [[0, 0]], to: [40, 0], want: 0 },
    { name: 'track barely moved (< 5% of the height)', points: [[0, 0], [4, 0]], to: [40, 0], want: 0 },
    { name: 'detection at the last position (< 5% of the height)', points: [[0, 0], [20, 0]], to: [22, 0], want: 0 },
  ] as Array<{ name: string; points: Array<[number, number]>; to: [number, number]; want: number }>)(
    'directionConsistency: $name -> $want',
    ({ points, to, want }) => {
      expect(directionConsistency(track(points), { xywh: [to[0], to[1], 40, 100] })).toBeCloseTo(want, 10);
    },
  );

  it('provisionalId is the tentative id for the whole life of the track', () => {
    const out = run(frames(5, (f) => [det(walk(f), 200)]));
    expect(out.map((o) => [...o.tracks, ...o.tentative].map((t) => [t.id, t.provisionalId]))).toEqual([
      [[-1, -1]],
      [[-1, -1]],
      [[1, -1]],
      [[1, -1]],
      [[1, -1]],
    ]);
  });
});
