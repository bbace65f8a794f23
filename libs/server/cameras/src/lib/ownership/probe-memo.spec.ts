import { parseProbeMemo, serializeProbeMemo, sourceFingerprint } from './probe-memo';

describe('probe memos', () => {
  const f = sourceFingerprint({ sourceType: 'file', sourceUrl: 'hall.mp4', sourceOptions: { loop: true } });

  it.each([
    { name: 'nothing stored', raw: null, want: null },
    { name: 'not JSON', raw: '{', want: null },
    { name: 'another source', raw: serializeProbeMemo({ codec: 'h264', width: 1280, height: 720 }, 'other'), want: null },
    { name: 'zero size', raw: JSON.stringify({ f, codec: 'h264', width: 0, height: 720 }), want: null },
    { name: 'fractional size', raw: JSON.stringify({ f, codec: 'h264', width: 12.5, height: 720 }), want: null },
    { name: 'no codec', raw: JSON.stringify({ f, width: 1280, height: 720 }), want: null },
    { name: 'the same source', raw: serializeProbeMemo({ codec: 'h264', width: 1280, height: 720 }, f), want: { codec: 'h264', width: 1280, height: 720 } },
  ])('$name', ({ raw, want }) => {
    expect(parseProbeMemo(raw, f)).toEqual(want);
  });

  it('the fingerprint changes with type, URL and options', () => {
    const base = { sourceType: 'file', sourceUrl: 'hall.mp4', sourceOptions: { loop: true } };
    expect(sourceFingerprint(base)).toBe(f);
    expect(sourceFingerprint({ ...base, sourceType: 'rtsp' })).not.toBe(f);
    expect(sourceFingerprint({ ...base, sourceUrl: 'other.mp4' })).not.toBe(f);
    expect(sourceFingerprint({ ...base, sourceOptions: { loop: false } })).not.toBe(f);
  });
});
