import { motRowsOf, PendingMotRows, type MotRow } from './mot-rows';

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
