import type { RawFrame } from '@crowdsafe/contracts';
import { toFrameRef } from './frame-store';
import { InMemoryFrameStore } from './in-memory-frame-store';

const frame = (cameraId: string, seq: number, w = 2, h = 1): RawFrame => ({
  cameraId,
  seq,
  capturedAt: 1000 + seq,
  width: w,
  height: h,
  data: new Uint8Array(w * h * 3).fill(seq % 256),
});

/** Each step: put a frame at time `at`; then `expectHeld` lists `camera#seq` that get() still returns. */
interface Step {
  at: number;
  put?: RawFrame;
  expectHeld: string[];
}

describe('InMemoryFrameStore', () => {
  const all = ['a#1', 'a#2', 'a#3', 'a#4', 'b#1', 'c#1'];

  it.each<{ name: string; opts: { framesPerCamera: number; ttlMs: number; maxCameras?: number }; steps: Step[] }>([
    { name: 'empty store', opts: { framesPerCamera: 2, ttlMs: 100 }, steps: [{ at: 0, expectHeld: [] }] },
    {
      name: 'keeps the newest N per camera',
      opts: { framesPerCamera: 2, ttlMs: 1000 },
      steps: [
        { at: 0, put: frame('a', 1), expectHeld: ['a#1'] },
        { at: 1, put: frame('a', 2), expectHeld: ['a#1', 'a#2'] },
        { at: 2, put: frame('a', 3), expectHeld: ['a#2', 'a#3'] },
        { at: 3, put: frame('b', 1), expectHeld: ['a#2', 'a#3', 'b#1'] },
      ],
    },
    {
      name: 'frames expire after ttlMs',
      opts: { framesPerCamera: 8, ttlMs: 100 },
      steps: [
        { at: 0, put: frame('a', 1), expectHeld: ['a#1'] },
        { at: 60, put: frame('a', 2), expectHeld: ['a#1', 'a#2'] },
        { at: 100, expectHeld: ['a#2'] },
        { at: 160, expectHeld: [] },
      ],
    },
    {
      name: 'bounded in cameras: the least recently written camera goes',
      opts: { framesPerCamera: 4, ttlMs: 1000, maxCameras: 2 },
      steps: [
        { at: 0, put: frame('a', 1), expectHeld: ['a#1'] },
        { at: 1, put: frame('b', 1), expectHeld: ['a#1', 'b#1'] },
        { at: 2, put: frame('a', 2), expectHeld: ['a#1', 'a#2', 'b#1'] },
        { at: 3, put: frame('c', 1), expectHeld: ['a#1', 'a#2', 'c#1'] },
      ],
    },
    {
      name: 'the same seq again replaces the frame',
      opts: { framesPerCamera: 2, ttlMs: 1000 },
      steps: [
        { at: 0, put: frame('a', 1), expectHeld: ['a#1'] },
        { at: 1, put: frame('a', 1), expectHeld: ['a#1'] },
        { at: 2, put: frame('a', 2), expectHeld: ['a#1', 'a#2'] },
      ],
    },
  ])('$name', async ({ opts, steps }) => {
    let now = 0;
    const store = new InMemoryFrameStore({ ...opts, now: () => now });
    for (const step of steps) {
      now = step.at;
      if (step.put) await store.put(step.put);
      const held: string[] = [];
      for (const id of all) {
        const [cam, seq] = id.split('#');
        if (await store.get(toFrameRef(frame(cam, Number(seq))))) held.push(id);
      }
      expect(held).toEqual(step.expectHeld);
    }
  });

  it('hands out the stored frame itself (zero copy) and returns its reference', async () => {
    const store = new InMemoryFrameStore({ framesPerCamera: 2, ttlMs: 1000 });
    const f = frame('cam-1', 7, 4, 2);
    const ref = await store.put(f);
    expect(ref).toEqual({ key: 'frame:cam-1:7', cameraId: 'cam-1', seq: 7, capturedAt: 1007, width: 4, height: 2 });
    const got = await store.get(ref);
    expect(got?.data).toBe(f.data);
  });

  it.each([
    ['a short buffer', { ...frame('a', 1), data: new Uint8Array(5) }, /expected 2x1x3 = 6 bytes, got 5/],
    ['a zero width', { ...frame('a', 1), width: 0, data: new Uint8Array(0) }, /bad size 0x1/],
  ])('rejects %s', async (_name, f, msg) => {
    const store = new InMemoryFrameStore({ framesPerCamera: 2, ttlMs: 1000 });
    await expect(store.put(f)).rejects.toThrow(msg);
  });

  it.each([
    [{ framesPerCamera: 0, ttlMs: 1 }, /framesPerCamera/],
    [{ framesPerCamera: 1, ttlMs: 0 }, /ttlMs/],
  ])('rejects options %p', (opts, msg) => {
    expect(() => new InMemoryFrameStore(opts)).toThrow(msg);
  });
});
