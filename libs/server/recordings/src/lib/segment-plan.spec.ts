import { bandwidthOf, canCopy, expiredSegments, parseSegmentList, planClip, segmentOutputArgs, type Segment } from './segment-plan';

const seg = (i: number, len = 10_000, bytes = 1000): Segment => ({ cameraId: 'c', path: `/r/s-${i}.ts`, startMs: i * len, endMs: (i + 1) * len, streamStart: i * (len / 1000), bytes });

describe('canCopy / segmentOutputArgs', () => {
  it.each([
    [undefined, false],
    ['h264', true],
    ['hevc', true],
    ['mjpeg', false],
    ['rawvideo', false],
  ])('%s -> copy %s', (codec, copy) => {
    expect(canCopy(codec)).toBe(copy);
    const args = segmentOutputArgs({ codec, segmentS: 10, pattern: '/r/x-%06d.ts', listPath: '/r/x.csv' }).options;
    expect(args.join(' ').includes('-c:v copy')).toBe(copy);
    expect(args.join(' ')).toContain('-segment_format mpegts');
    expect(args.join(' ')).toContain('-reset_timestamps 0');
    if (!copy) expect(args).toContain('libx264');
  });
});

describe('parseSegmentList', () => {
  it.each([
    { text: '', entries: 0, consumed: 0 },
    { text: 'a-000001.ts,0.000000,2.000000', entries: 0, consumed: 0 },
    { text: 'a-000001.ts,0.000000,2.000000\n', entries: 1, consumed: 30 },
    { text: 'a-000001.ts,0.000000,2.000000\na-000002.ts,2.0,4.1\npartial', entries: 2, consumed: 50 },
    { text: '../evil.ts,0,1\nbad line\nb.ts,5,4\n', entries: 0, consumed: 33 },
  ])('$text', ({ text, entries, consumed }) => {
    const r = parseSegmentList(text);
    expect(r.entries).toHaveLength(entries);
    expect(r.consumed).toBe(consumed);
  });
});

describe('planClip', () => {
  const all = [seg(0), seg(1), seg(2), seg(3)];
  it('empty and disjoint ranges give null', () => {
    expect(planClip([], 0, 10)).toBeNull();
    expect(planClip(all, 50_000, 60_000)).toBeNull();
  });
  it('covers the range with in/out points inside the first and last segment', () => {
    const p = planClip(all, 12_000, 25_000)!;
    expect(p.segments.map((s) => s.path)).toEqual(['/r/s-1.ts', '/r/s-2.ts']);
    expect(p.inpointS).toBe(2);
    expect(p.outpointS).toBe(5);
    expect([p.startMs, p.endMs]).toEqual([12_000, 25_000]);
  });
  it('a range past the recorded end ends at the last segment (no outpoint)', () => {
    const p = planClip(all, 35_000, 99_000)!;
    expect(p.segments).toHaveLength(1);
    expect(p.outpointS).toBeNull();
    expect(p.endMs).toBe(40_000);
  });
});

describe('expiredSegments / bandwidthOf', () => {
  it('keeps the buffer and what a pending clip needs', () => {
    const all = [seg(0), seg(1), seg(2), seg(3)];
    expect(expiredSegments([], 100_000, 10_000, null)).toEqual([]);
    expect(expiredSegments(all, 40_000, 15_000, null).map((s) => s.path)).toEqual(['/r/s-0.ts', '/r/s-1.ts']);
    expect(expiredSegments(all, 40_000, 15_000, 15_000).map((s) => s.path)).toEqual(['/r/s-0.ts']);
  });
  it('bandwidth = bytes / seconds', () => {
    expect(bandwidthOf([])).toBe(0);
    expect(bandwidthOf([seg(0, 10_000, 5000), seg(1, 10_000, 15000)])).toBe(1000);
  });
});
