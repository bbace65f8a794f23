import { isVodSegmentName, rewriteVodPlaylist } from './recording-hls';

describe('recording HLS VOD', () => {
  it('rewrites segment URIs to segments/<n>.ts with the ticket, leaves tags alone', () => {
    const text = '#EXTM3U\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:4.000000,\n0.ts\n#EXTINF:2.5,\n1.ts\n#EXT-X-ENDLIST\n';
    const out = rewriteVodPlaylist(text, '?ticket=a%2Bb');
    expect(out).toContain('#EXTINF:4.000000,\nsegments/0.ts?ticket=a%2Bb\n');
    expect(out).toContain('segments/1.ts?ticket=a%2Bb');
    expect(out).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(rewriteVodPlaylist('#EXTM3U\n../x.ts\nhttp://evil/0.ts\n', '?t')).toBe('#EXTM3U\n../x.ts\nhttp://evil/0.ts\n');
  });

  it.each([
    ['0.ts', true],
    ['123456.ts', true],
    ['1234567.ts', false],
    ['../0.ts', false],
    ['index.m3u8', false],
    ['0.ts.part', false],
  ])('segment name %s -> %s', (name, ok) => expect(isVodSegmentName(name)).toBe(ok));
});
