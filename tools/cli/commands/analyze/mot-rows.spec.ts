import { interpolateMotGaps, motRowsOf, PendingMotRows, type MotRow } from './mot-rows';

const row = (x: number): Omit<MotRow, 'id'> => ({ x, y: 0, w: 10, h: 20, score: 0.9 });

describe('PendingMotRows: a confirmed track from its first detection', () => {
  /** Frames of [unconfirmed provisional ids, confirmed [provisionalId, id]]; returns each frame's rows (id, x). */
  function replay(frames: Array<[number[], Array<[number, number]>]>, expire = 5): Array<Array<[number, number]>> {
    const pending = new PendingMotRows(expire);
    const out: MotRow[][] = [];
    frames.forEach(([unconfirmed, confirmed], k) => {
      const into: MotRow[] = [];
      out.push(into);
      pending.observe(
        into,
        unconfirmed.map((p) => ({ provisionalId: p, row: row(100 * k - p) })),
        confirmed.map(([provisionalId, id]) => ({ provisionalId, id })),
      );
    });
    return out.map((rows) => rows.map((r) => [r.id, r.x]));
  }

  it.each([
    { name: 'nothing', frames: [], want: [] },
    {
      name: 'tentative for 2 frames, then confirmed as id 1: both frames get id 1',
      frames: [[[-1], []], [[-1], []], [[], [[-1, 1]]]] as Array<[number[], Array<[number, number]>]>,
      want: [[[1, 1]], [[1, 101]], []],
    },
    {
      name: 'never confirmed: no rows',
      frames: [[[-1], []], [[-1], []], [[], []]] as Array<[number[], Array<[number, number]>]>,
      want: [[], [], []],
    },
    {
      name: 'two tracks, only the second confirmed',
      frames: [[[-1, -2], []], [[-2], []], [[], [[-2, 1]]]] as Array<[number[], Array<[number, number]>]>,
      want: [[[1, 2]], [[1, 102]], []],
    },
    {
      name: 'activated, lost, found again and confirmed within the expiry: rows kept',
      frames: [[[-1], []], [[], []], [[], []], [[-1], []], [[], [[-1, 4]]]] as Array<[number[], Array<[number, number]>]>,
      want: [[[4, 1]], [], [], [[4, 301]], []],
    },
    {
      name: 'unseen for the expiry (2 frames): dropped, a later confirmation finds nothing',
      frames: [[[-1], []], [[], []], [[], []], [[], [[-1, 4]]]] as Array<[number[], Array<[number, number]>]>,
      expire: 2,
      want: [[], [], [], []],
    },
  ])('$name', ({ frames, want, expire }) => {
    expect(replay(frames, expire)).toEqual(want);
  });

  it('memory stays bounded with tracks that are never confirmed', () => {
    const pending = new PendingMotRows(3);
    for (let f = 1; f <= 1000; f++) pending.observe([], [{ provisionalId: -f, row: row(f) }], []);
    expect(pending.size).toBeLessThanOrEqual(3);
  });

  it('rejects an expiry below 1 frame', () => {
    expect(() => new PendingMotRows(0)).toThrow(RangeError);
  });

  it('motRowsOf merges a frame\'s confirmed rows and later-confirmed rows by ascending id', () => {
    const f = { tracks: [{ id: 3, ...row(3) }, { id: 5, ...row(5) }], beforeConfirmation: [{ id: 4, ...row(4) }] };
    expect(motRowsOf(f).map((r) => r.id)).toEqual([3, 4, 5]);
    expect(motRowsOf({ tracks: [{ id: 2, ...row(2) }] }).map((r) => r.id)).toEqual([2]);
  });
});

describe('interpolateMotGaps', () => {
  const box = (id: number, x: number, score = 0.9): MotRow => ({ id, x, y: 10, w: 20, h: 40, score });
  it.each([
    // name, frames (rows per processed frame), maxGapFrames -> ids per frame, x of id 1 per frame (null: absent)
    ['no frames', [], 5, [], []],
    ['no gap', [[box(1, 0)], [box(1, 10)]], 5, [[1], [1]], [0, 10]],
    ['a 2-frame gap within the buffer is filled linearly', [[box(1, 0)], [], [], [box(1, 30)]], 2, [[1], [1], [1], [1]], [0, 10, 20, 30]],
    ['a gap longer than the buffer is left', [[box(1, 0)], [], [], [box(1, 30)]], 1, [[1], [], [], [1]], [0, null, null, 30]],
    ['buffer 0: nothing filled', [[box(1, 0)], [], [box(1, 30)]], 0, [[1], [], [1]], [0, null, 30]],
    ['a track that never comes back is not extended', [[box(1, 0), box(2, 5)], [box(2, 6)], [box(2, 7)]], 5, [[1, 2], [2], [2]], [0, null, null]],
    ['rows stay in ascending id', [[box(3, 0), box(1, 0)], [box(3, 1)], [box(1, 20), box(3, 2)]], 5, [[1, 3], [1, 3], [1, 3]], [0, 10, 20]],
  ] as const)('%s', (_n, frames, maxGap, ids, xs) => {
    const input = frames.map((f) => [...f]);
    const out = interpolateMotGaps(input, maxGap);
    expect(out.map((f) => f.map((r) => r.id))).toEqual(ids);
    expect(out.map((f) => f.find((r) => r.id === 1)?.x ?? null)).toEqual(xs);
    expect(input.map((f) => f.length)).toEqual(frames.map((f) => f.length)); // input untouched
  });

  it('an interpolated row takes the lower score of its two ends', () => {
    const out = interpolateMotGaps([[box(1, 0, 0.9)], [], [box(1, 20, 0.6)]], 1);
    expect(out[1]).toEqual([{ id: 1, x: 10, y: 10, w: 20, h: 40, score: 0.6 }]);
  });

  it.each([-1, 1.5, Number.NaN])('rejects maxGapFrames %f', (g) => expect(() => interpolateMotGaps([], g)).toThrow(/maxGapFrames/));
});
