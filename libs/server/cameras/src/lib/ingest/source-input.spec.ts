import { assertValidSource, describeSource, redactSecrets, sourceTypeOf, type SourceInput } from './source-input';

const url = (u: string): SourceInput => ({ kind: 'url', url: u });

describe('sourceTypeOf', () => {
  it.each([
    { input: { kind: 'file', path: '', loop: false } as SourceInput, type: 'file' },
    { input: { kind: 'file', path: '/media/a.mp4', loop: true } as SourceInput, type: 'file' },
    { input: url('rtsp://cam/stream'), type: 'rtsp' },
    { input: url('RTSPS://cam/stream'), type: 'rtsp' },
    { input: url('http://cam/video.mjpg'), type: 'http' },
    { input: url('https://cdn/live/index.m3u8?token=1'), type: 'hls' },
    { input: url('rtmp://host/app/key'), type: 'rtmp' },
  ])('$input.url$input.path -> $type', ({ input, type }) => {
    expect(sourceTypeOf(input)).toBe(type);
  });
});

describe('assertValidSource', () => {
  it.each([
    { name: 'empty path', input: { kind: 'file', path: '', loop: false } as SourceInput, error: /invalid video file path/ },
    { name: 'file path', input: { kind: 'file', path: '/m/a.mp4', loop: false } as SourceInput, error: null },
    { name: 'rtsp', input: url('rtsp://u:p@cam:554/s'), error: null },
    { name: 'https', input: url('https://cam/x.m3u8'), error: null },
    { name: 'not a URL (password redacted)', input: url('rtsp//user:hunter2@'), error: /^invalid stream URL/ },
    { name: 'file: scheme refused', input: url('file:///etc/passwd'), error: /unsupported stream URL scheme file:/ },
    { name: 'concat: scheme refused', input: url('concat:a.mp4|b.mp4'), error: /unsupported stream URL scheme concat:/ },
  ])('$name', ({ input, error }) => {
    if (error) {
      expect(() => assertValidSource(input)).toThrow(error);
      expect(() => assertValidSource(input)).not.toThrow(/hunter2/);
    } else {
      expect(() => assertValidSource(input)).not.toThrow();
    }
  });
});

describe('redactSecrets / describeSource', () => {
  it.each([
    { name: 'empty text', input: url('rtsp://admin:s3cret@cam/s'), text: '', out: '' },
    { name: 'URL userinfo', input: url('rtsp://admin:s3cret@cam/s'), text: 'rtsp://admin:s3cret@cam/s: 401', out: 'rtsp://***@cam/s: 401' },
    { name: 'bare password elsewhere', input: url('rtsp://admin:s3cret@cam/s'), text: 'auth s3cret failed', out: 'auth *** failed' },
    { name: 'percent-decoded password', input: url('http://u:p%40ss!@cam/'), text: 'bad p@ss!', out: 'bad ***' },
    { name: 'file input untouched', input: { kind: 'file', path: '/a', loop: false } as SourceInput, text: 'x: 1', out: 'x: 1' },
    { name: 'URL without credentials', input: url('http://cam/x'), text: 'http://cam/x: refused', out: 'http://cam/x: refused' },
  ])('$name', ({ input, text, out }) => {
    expect(redactSecrets(text, input)).toBe(out);
  });

  it.each([
    { input: { kind: 'file', path: '/media/a.mp4', loop: false } as SourceInput, out: '/media/a.mp4' },
    { input: url('rtsp://admin:s3cret@cam:554/s'), out: 'rtsp://***@cam:554/s' },
  ])('describeSource $out', ({ input, out }) => {
    expect(describeSource(input)).toBe(out);
  });
});
