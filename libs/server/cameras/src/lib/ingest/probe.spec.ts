import { parseProbeData, parseRate, ProbeError, toProbeError } from './probe';
import type { SourceInput } from './source-input';

const file: SourceInput = { kind: 'file', path: '/v/a.mp4', loop: false };
const cam: SourceInput = { kind: 'url', url: 'http://admin:hunter22@127.0.0.1:1/live.m3u8' };
const video = { index: 0, codec_type: 'video', codec_name: 'h264', width: 1280, height: 720, avg_frame_rate: '25/1', r_frame_rate: '25/1', duration: 13.64 };

describe('parseProbeData', () => {
  it.each([
    { name: 'no streams', data: { streams: [], format: {} }, out: null, code: 'not-video' },
    { name: 'audio only', data: { streams: [{ index: 0, codec_type: 'audio' }], format: {} }, out: null, code: 'not-video' },
    { name: 'no size', data: { streams: [{ ...video, width: 0 }], format: {} }, out: null, code: 'not-video' },
    { name: 'file', data: { streams: [video], format: {} }, out: { codec: 'h264', width: 1280, height: 720, fps: 25, durationS: 13.64 } },
    {
      name: 'live: no duration, avg rate 0/0 falls back to r_frame_rate',
      data: { streams: [{ ...video, avg_frame_rate: '0/0', r_frame_rate: '30000/1001', duration: 'N/A' }], format: { duration: 'N/A' } },
      out: { codec: 'h264', width: 1280, height: 720, fps: 30000 / 1001, durationS: null },
    },
    { name: 'duration from format', data: { streams: [{ ...video, duration: undefined }], format: { duration: 9.5 } }, out: { codec: 'h264', width: 1280, height: 720, fps: 25, durationS: 9.5 } },
    { name: 'rotated -90 swaps', data: { streams: [{ ...video, rotation: '-90' }], format: {} }, out: { codec: 'h264', width: 720, height: 1280, fps: 25, durationS: 13.64 } },
    { name: 'legacy rotate tag', data: { streams: [{ ...video, tags: { rotate: '270' } }], format: {} }, out: { codec: 'h264', width: 720, height: 1280, fps: 25, durationS: 13.64 } },
    { name: 'picks the first video stream', data: { streams: [{ index: 0, codec_type: 'audio' }, video], format: {} }, out: { codec: 'h264', width: 1280, height: 720, fps: 25, durationS: 13.64 } },
  ])('$name', ({ data, out, code }) => {
    if (out) {
      expect(parseProbeData(data, file)).toEqual(out);
    } else {
      expect(() => parseProbeData(data, file)).toThrow(ProbeError);
      expect(() => parseProbeData(data, file)).toThrow(expect.objectContaining({ code }));
    }
  });
});

describe('parseRate', () => {
  it.each([
    { v: '', out: null },
    { v: '0/0', out: null },
    { v: 'N/A', out: null },
    { v: '25/1', out: 25 },
    { v: '25', out: 25 },
    { v: 12.5, out: 12.5 },
    { v: undefined, out: null },
  ])('$v', ({ v, out }) => {
    expect(parseRate(v)).toBe(out);
  });
});

describe('toProbeError', () => {
  it.each([
    { name: 'empty message', err: new Error(''), input: file, code: 'failed', message: 'cannot open /v/a.mp4: ' },
    {
      name: 'not a video',
      err: new Error('ffprobe exited with code 1\nfile:/v/a.mp4: Invalid data found when processing input\n'),
      input: file,
      code: 'not-video',
      message: 'cannot open /v/a.mp4: Invalid data found when processing input',
    },
    {
      name: 'refused, credentials redacted',
      err: new Error(
        'ffprobe exited with code 1\n[tcp @ 0x1] Connection to tcp://127.0.0.1:1 failed: Connection refused\nhttp://admin:hunter22@127.0.0.1:1/live.m3u8: Connection refused',
      ),
      input: cam,
      code: 'failed',
      message: 'cannot open http://***@127.0.0.1:1/live.m3u8: Connection refused',
    },
    {
      name: 'ffprobe binary missing',
      err: Object.assign(new Error('spawn /nope ENOENT'), { code: 'ENOENT', syscall: 'spawn /nope' }),
      input: file,
      code: 'failed',
      message: 'cannot run ffprobe at /nope: not found',
    },
  ])('$name', ({ err, input, code, message }) => {
    const e = toProbeError(err, input, '/nope');
    expect(e).toMatchObject({ code, message });
    expect(e.message).not.toContain('hunter22');
  });
});
