import type { Track } from '../tracking/types';
import { coastingTracks } from './coast-unexamined';

const track = (id: number, cx: number, cy: number, over: Partial<Track> = {}): Track => ({
  id,
  provisionalId: -id,
  confirmed: true,
  box: { x1: cx - 5, y1: cy - 10, x2: cx + 5, y2: cy + 10 },
  score: 0.6,
  classId: 0,
  state: 'lost',
  hits: 5,
  age: 6,
  timeSinceUpdate: 1,
  velocity: { vx: 0, vy: 0 },
  detectionIndex: -1,
  ...over,
});
const tile = (x: number, y: number, side = 100) => ({ x, y, width: side, height: side, kind: 'tile' as const });
const frame = { width: 300, height: 200 };
const planned = [tile(0, 0), tile(100, 0), tile(200, 0)];

describe('coastingTracks', () => {
  it.each([
    // name, lost tracks, slices run this frame, holdFrames, planned, matched tracks, expected coasting ids
    ['empty', [], [], 3, planned, [], []],
    ['no planned slices (not scheduled): none', [track(1, 50, 50)], [], 3, [], [], []],
    ['in a planned slice not run now: coasts', [track(1, 50, 50)], [tile(100, 0)], 3, planned, [], [1]],
    ['its slice ran now and did not find it: no', [track(1, 50, 50)], [tile(0, 0)], 3, planned, [], []],
    ['lost longer than the hold: no', [track(1, 50, 50, { timeSinceUpdate: 4 })], [], 3, planned, [], []],
    ['not confirmed: no', [track(1, 50, 50, { confirmed: false })], [], 3, planned, [], []],
    ['outside every planned slice (global-pass region): no', [track(1, 150, 150)], [], 3, planned, [], []],
    ['predicted out of the frame: no', [track(1, 50, -20)], [], 3, planned, [], []],
    ['a matched track covers it (same person, new id): no', [track(1, 50, 50)], [], 3, planned, [track(2, 52, 51, { state: 'tracked', timeSinceUpdate: 0 })], []],
    ['a matched track elsewhere: coasts', [track(1, 50, 50)], [], 3, planned, [track(2, 250, 50, { state: 'tracked', timeSinceUpdate: 0 })], [1]],
    ['hold 0: none', [track(1, 50, 50)], [], 0, planned, [], []],
  ] as const)('%s', (_n, lost, slices, holdFrames, plan, matched, ids) => {
    expect(coastingTracks(lost, { slices, holdFrames, planned: plan }, frame, matched).map((t) => t.id)).toEqual(ids);
  });

  it('no examined slices at all (unscheduled): none', () => {
    expect(coastingTracks([track(1, 50, 50)], undefined, frame)).toEqual([]);
  });
});
