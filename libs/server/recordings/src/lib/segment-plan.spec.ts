import { bandwidthOf, canCopy, chooseHlsRendition, expiredSegments, placeSegment, gopOf, hlsOutputArgs, parseSegmentList, planClip, scaleFilter, segmentOutputArgs, type Segment } from './segment-plan';

const seg = (i: number, len = 10_000, bytes = 1000): Segment => ({ cameraId: 'c', path: `/r/s-${i}.ts`, startMs: i * len, endMs: (i + 1) * len, streamStart: i * (len / 1000), streamEnd: (i + 1) * (len / 1000) - 0.04, bytes });

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

describe('live HLS rendition', () => {
  const base = { segmentS: 1, maxWidth: 960, fps: 15 };
  it.each([
    ['copy', 'h264', 10, 'copy'],
    ['copy', 'mjpeg', undefined, null],
    ['transcode', 'h264', 1, 'transcode'],
    ['auto', 'h264', 1, 'copy'],
    ['auto', 'h264', 1.2, 'copy'],
    ['auto', 'h264', 10, 'transcode'],
    ['auto', 'h264', undefined, 'transcode'],
    ['auto', 'mjpeg', 1, 'transcode'],
  ] as const)('mode %s, codec %s, GOP %s s -> %s', (mode, codec, gopS, kind) => {
    expect(chooseHlsRendition({ ...base, mode, codec, gopS })?.kind ?? null).toBe(kind);
  });

  it('measures the GOP from keyframe times', () => {
    expect(gopOf([], 10)).toBeUndefined();
    expect(gopOf([3.2], 10)).toBe(10);
    expect(gopOf([0, 1, 2, 4], 5)).toBe(2);
  });

  it('copies, or transcodes with a keyframe per segment at a bounded size', () => {
    const copy = hlsOutputArgs({ segmentS: 1, dir: '/l', runId: 'r' }).options.join(' ');
    expect(copy).toContain('-c:v copy');
    expect(copy).toContain('-hls_list_size 4');
    expect(copy).toContain('independent_segments');
    expect(copy).toContain('delete_segments');
    const t = hlsOutputArgs({ segmentS: 1, dir: '/l', runId: 'r', rendition: { kind: 'transcode', maxWidth: 960, fps: 15 } }).options;
    expect(t).toEqual(expect.arrayContaining(['libx264', 'ultrafast', 'zerolatency']));
    expect(t[t.indexOf('-threads') + 1]).toBe('1');
    expect(t[t.indexOf('-g') + 1]).toBe('15');
    expect(t[t.indexOf('-vf') + 1]).toBe("fps=15,scale='min(960,iw)':-2");
    expect(t[t.indexOf('-force_key_frames') + 1]).toBe('expr:gte(t,n_forced*1)');
    const half = hlsOutputArgs({ segmentS: 0.5, dir: '/l', runId: 'r', rendition: { kind: 'transcode', maxWidth: 960, maxHeight: 540, fps: 15 } }).options;
    expect(half[half.indexOf('-g') + 1]).toBe('8');
    expect(half[half.indexOf('-hls_list_size') + 1]).toBe('6');
    expect(half[half.indexOf('-vf') + 1]).toBe("fps=15,scale=w='min(960,iw)':h='min(540,ih)':force_original_aspect_ratio=decrease:force_divisible_by=2");
  });

  it.each([
    [960, undefined, "scale='min(960,iw)':-2"],
    [960, 540, "scale=w='min(960,iw)':h='min(540,ih)':force_original_aspect_ratio=decrease:force_divisible_by=2"],
    [3840, 360, "scale=w='min(3840,iw)':h='min(360,ih)':force_original_aspect_ratio=decrease:force_divisible_by=2"],
  ] as const)('scale filter for at most %s x %s px', (w, h, filter) => {
    expect(scaleFilter(w, h)).toBe(filter);
  });

  it('passes the height bound of auto/transcode renditions on', () => {
    expect(chooseHlsRendition({ ...base, maxHeight: 360, mode: 'auto', codec: 'mjpeg', gopS: undefined })).toEqual({ kind: 'transcode', maxWidth: 960, maxHeight: 360, fps: 15 });
    expect(chooseHlsRendition({ ...base, mode: 'transcode', codec: 'h264', gopS: 1 })).toEqual({ kind: 'transcode', maxWidth: 960, fps: 15 });
  });
});

describe('placeSegment', () => {
  it('places the segments of a run end to end, from the previous close to its own', () => {
    const w = 1_000_000;
    const a = placeSegment(null, w - 500, { file: 'a', start: 0, end: 9.96 }, w + 10_000);
    expect(a).toEqual({ startMs: w + 40, endMs: w + 10_000 });
    // A camera ffmpeg running at 0.4x real time: 10 s of video closed 25 s later spans those 25 s (no gap).
    expect(placeSegment(a.endMs, w, { file: 'b', start: 10, end: 19.96 }, w + 35_000)).toEqual({ startMs: w + 10_000, endMs: w + 35_000 });
    // The first segment does not start before its run.
    expect(placeSegment(null, w, { file: 'c', start: 0, end: 9.96 }, w + 5000)).toEqual({ startMs: w, endMs: w + 5000 });
  });

  it('a clip inside a slow segment is cut by interpolation: its stream length is the share of the wall span', () => {
    const slow: Segment = { cameraId: 'c', path: '/r/x.ts', startMs: 10_000, endMs: 35_000, streamStart: 10, streamEnd: 20, bytes: 1 };
    const plan = planClip([slow], 15_000, 20_000);
    expect(plan?.inpointS).toBeCloseTo(2, 6);
    expect(plan?.outpointS).toBeCloseTo(4, 6);
  });
});
