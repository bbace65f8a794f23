import { FrameBuffer } from './frame-buffer';

describe('FrameBuffer', () => {
  it.each([
    { name: 'empty', capacity: 3, pushes: [] as number[], returned: [] as (number | undefined)[], contents: [] as number[], dropped: 0 },
    { name: 'below capacity', capacity: 3, pushes: [1, 2], returned: [undefined, undefined], contents: [1, 2], dropped: 0 },
    { name: 'exactly full', capacity: 3, pushes: [1, 2, 3], returned: [undefined, undefined, undefined], contents: [1, 2, 3], dropped: 0 },
    { name: 'one over drops the oldest', capacity: 3, pushes: [1, 2, 3, 4], returned: [undefined, undefined, undefined, 1], contents: [2, 3, 4], dropped: 1 },
    { name: 'wraps many times', capacity: 2, pushes: [1, 2, 3, 4, 5], returned: [undefined, undefined, 1, 2, 3], contents: [4, 5], dropped: 3 },
    { name: 'capacity 1', capacity: 1, pushes: [7, 8], returned: [undefined, 7], contents: [8], dropped: 1 },
  ])('push: $name', ({ capacity, pushes, returned, contents, dropped }) => {
    const buf = new FrameBuffer<number>(capacity);
    expect(pushes.map((p) => buf.push(p))).toEqual(returned);
    expect(buf.toArray()).toEqual(contents);
    expect(buf.size).toBe(contents.length);
    expect(buf.dropped).toBe(dropped);
    expect(buf.capacity).toBe(capacity);
    expect(buf.peek()).toBe(contents[0]);
  });

  it.each([
    { name: 'empty', pushes: [] as number[], shifts: 1, shifted: [undefined] as (number | undefined)[], left: [] as number[] },
    { name: 'fifo order', pushes: [1, 2, 3], shifts: 2, shifted: [1, 2], left: [3] },
    { name: 'drain past empty', pushes: [1], shifts: 3, shifted: [1, undefined, undefined], left: [] },
    { name: 'after wrap-around', pushes: [1, 2, 3, 4, 5], shifts: 3, shifted: [3, 4, 5], left: [] },
  ])('shift: $name', ({ pushes, shifts, shifted, left }) => {
    const buf = new FrameBuffer<number>(3);
    pushes.forEach((p) => buf.push(p));
    expect(Array.from({ length: shifts }, () => buf.shift())).toEqual(shifted);
    expect(buf.toArray()).toEqual(left);
  });

  it.each([
    { name: 'empty', pushes: [] as number[], dropped: 0 },
    { name: 'keeps the dropped counter', pushes: [1, 2, 3], dropped: 1 },
  ])('clear: $name', ({ pushes, dropped }) => {
    const buf = new FrameBuffer<number>(2);
    pushes.forEach((p) => buf.push(p));
    buf.clear();
    expect(buf.size).toBe(0);
    expect(buf.shift()).toBeUndefined();
    expect(buf.dropped).toBe(dropped);
    buf.push(9);
    expect(buf.toArray()).toEqual([9]);
  });

  it.each([0, -1, 1.5, NaN])('rejects capacity %p', (capacity) => {
    expect(() => new FrameBuffer(capacity)).toThrow(RangeError);
  });
});
