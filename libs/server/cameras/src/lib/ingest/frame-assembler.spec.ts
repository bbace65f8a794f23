import { FrameAssembler } from './frame-assembler';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('FrameAssembler', () => {
  it.each([
    { name: 'no chunks', frameBytes: 4, chunks: [] as Uint8Array[], frames: [] as number[][], pending: 0 },
    { name: 'empty chunk', frameBytes: 4, chunks: [bytes()], frames: [], pending: 0 },
    { name: 'exact frame', frameBytes: 4, chunks: [bytes(1, 2, 3, 4)], frames: [[1, 2, 3, 4]], pending: 0 },
    { name: 'partial frame', frameBytes: 4, chunks: [bytes(1, 2, 3)], frames: [], pending: 3 },
    { name: 'frame split over chunks', frameBytes: 4, chunks: [bytes(1), bytes(2, 3), bytes(4)], frames: [[1, 2, 3, 4]], pending: 0 },
    { name: 'two frames in one chunk', frameBytes: 2, chunks: [bytes(1, 2, 3, 4)], frames: [[1, 2], [3, 4]], pending: 0 },
    { name: 'chunk spans a boundary', frameBytes: 3, chunks: [bytes(1, 2), bytes(3, 4, 5, 6, 7)], frames: [[1, 2, 3], [4, 5, 6]], pending: 1 },
    { name: '1-byte frames', frameBytes: 1, chunks: [bytes(9, 8)], frames: [[9], [8]], pending: 0 },
  ])('$name', ({ frameBytes, chunks, frames, pending }) => {
    const out: number[][] = [];
    const asm = new FrameAssembler(frameBytes, (f) => out.push([...f]));
    chunks.forEach((c) => asm.push(c));
    expect(out).toEqual(frames);
    expect(asm.pendingBytes).toBe(pending);
  });

  it('emits distinct buffers that later chunks do not overwrite', () => {
    const out: Buffer[] = [];
    const asm = new FrameAssembler(2, (f) => out.push(f));
    asm.push(bytes(1, 2, 3, 4));
    expect(out[0]).not.toBe(out[1]);
    expect([...out[0], ...out[1]]).toEqual([1, 2, 3, 4]);
  });

  it.each([
    { name: 'nothing pending', chunks: [] as Uint8Array[], discarded: 0 },
    { name: 'partial frame', chunks: [bytes(1, 2, 3)], discarded: 3 },
  ])('reset: $name', ({ chunks, discarded }) => {
    const out: number[][] = [];
    const asm = new FrameAssembler(4, (f) => out.push([...f]));
    chunks.forEach((c) => asm.push(c));
    expect(asm.reset()).toBe(discarded);
    asm.push(bytes(5, 6, 7, 8));
    expect(out).toEqual([[5, 6, 7, 8]]);
  });

  it.each([0, -4, 2.5])('rejects frameBytes %p', (n) => {
    expect(() => new FrameAssembler(n, () => undefined)).toThrow(RangeError);
  });
});
