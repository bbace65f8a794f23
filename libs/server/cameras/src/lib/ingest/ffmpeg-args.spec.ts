import { computeOutputSize, decodeArgs, inputTarget, probeArgs, untimedMjpeg } from './ffmpeg-args';
import type { SourceInput } from './source-input';

describe('computeOutputSize', () => {
  it.each([
    { src: { width: 0, height: 0 }, max: 640, out: null },
    { src: { width: 1280, height: 720 }, max: 640, out: { width: 640, height: 360 } },
    { src: { width: 640, height: 360 }, max: 1280, out: { width: 640, height: 360 } }, // never upscale
    { src: { width: 1920, height: 1080 }, max: 1000, out: { width: 1000, height: 562 } }, // 562.5 -> even
    { src: { width: 641, height: 361 }, max: 4000, out: { width: 640, height: 360 } }, // odd -> even, down
    { src: { width: 720, height: 1280 }, max: 640, out: { width: 640, height: 1136 } }, // portrait: only width is bounded
    { src: { width: 4000, height: 2 }, max: 640, out: { width: 640, height: 2 } }, // never below 2
    { src: { width: 1280, height: 720 }, max: 641, out: { width: 640, height: 360 } },
  ])('$src.width x $src.height, max $max', ({ src, max, out }) => {
    if (out) expect(computeOutputSize(src, max)).toEqual(out);
    else expect(() => computeOutputSize(src, max)).toThrow(RangeError);
  });

  it.each([
    { src: { width: 1280, height: 720 }, maxW: 1280, maxH: 0, out: null },
    { src: { width: 1280, height: 720 }, maxW: 1280, maxH: null, out: { width: 1280, height: 720 } },
    { src: { width: 1280, height: 720 }, maxW: 1280, maxH: 360, out: { width: 640, height: 360 } }, // height bounds
    { src: { width: 1280, height: 720 }, maxW: 320, maxH: 360, out: { width: 320, height: 180 } }, // width bounds
    { src: { width: 720, height: 1280 }, maxW: 1920, maxH: 640, out: { width: 360, height: 640 } }, // portrait
    { src: { width: 640, height: 360 }, maxW: 1920, maxH: 1080, out: { width: 640, height: 360 } }, // never upscale
  ])('$src.width x $src.height in $maxW x $maxH', ({ src, maxW, maxH, out }) => {
    if (out) expect(computeOutputSize(src, maxW, maxH)).toEqual(out);
    else expect(() => computeOutputSize(src, maxW, maxH)).toThrow(RangeError);
  });
});

describe('decodeArgs', () => {
  const size = { width: 640, height: 360 };
  it.each([
    {
      name: 'file, no loop',
      input: { kind: 'file', path: '/v/a b.mp4', loop: false } as SourceInput,
      pre: ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re'],
      target: 'file:/v/a b.mp4',
    },
    {
      name: 'file, loop',
      input: { kind: 'file', path: '/v/a.mp4', loop: true } as SourceInput,
      pre: ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-stream_loop', '-1'],
      target: 'file:/v/a.mp4',
    },
    {
      name: 'rtsp defaults to tcp',
      input: { kind: 'url', url: 'rtsp://cam/s' } as SourceInput,
      pre: ['-hide_banner', '-nostdin', '-loglevel', 'error', '-fflags', 'nobuffer', '-flags', 'low_delay', '-protocol_whitelist', 'rtsp,rtsps,rtp,udp,tcp,tls', '-rtsp_transport', 'tcp', '-timeout', '5000000', '-analyzeduration', '500000', '-probesize', '1000000'],
      target: 'rtsp://cam/s',
    },
    {
      name: 'rtsp udp',
      input: { kind: 'url', url: 'rtsp://cam/s', transport: 'udp' } as SourceInput,
      pre: ['-hide_banner', '-nostdin', '-loglevel', 'error', '-fflags', 'nobuffer', '-flags', 'low_delay', '-protocol_whitelist', 'rtsp,rtsps,rtp,udp,tcp,tls', '-rtsp_transport', 'udp', '-timeout', '5000000', '-analyzeduration', '500000', '-probesize', '1000000'],
      target: 'rtsp://cam/s',
    },
    {
      name: 'rtmp uses rw_timeout (its -timeout means listen)',
      input: { kind: 'url', url: 'rtmp://h/app/key' } as SourceInput,
      pre: ['-hide_banner', '-nostdin', '-loglevel', 'error', '-fflags', 'nobuffer', '-flags', 'low_delay', '-protocol_whitelist', 'rtmp,rtmps,tcp,tls', '-rw_timeout', '5000000', '-analyzeduration', '500000', '-probesize', '1000000'],
      target: 'rtmp://h/app/key',
    },
    {
      name: 'usb/v4l2 device',
      input: { kind: 'device', device: '/dev/video0' } as SourceInput,
      pre: ['-hide_banner', '-nostdin', '-loglevel', 'error', '-fflags', 'nobuffer', '-thread_queue_size', '64', '-f', 'v4l2'],
      target: '/dev/video0',
    },
  ])('$name', ({ input, pre, target }) => {
    const args = decodeArgs(input, { fps: 5, size, ioTimeoutMs: 5000 });
    expect(args.inputOptions).toEqual(pre);
    expect(args.input).toBe(target);
    expect(args.outputOptions).toEqual([
      '-map', '0:v:0', '-an', '-sn', '-dn', '-vf', 'fps=5,scale=640:360:flags=area', '-pix_fmt', 'rgb24', '-f', 'rawvideo',
    ]);
  });

  it.each([
    { fps: 5, filter: 'fps=5,' },
    { fps: 2.5, filter: 'fps=2.5,' },
    { fps: 30000 / 1001, filter: 'fps=29.97003,' },
  ])('fps $fps', ({ fps, filter }) => {
    const args = decodeArgs({ kind: 'url', url: 'http://x/' }, { fps, size, ioTimeoutMs: 1 });
    expect(args.outputOptions[args.outputOptions.indexOf('-vf') + 1].startsWith(filter)).toBe(true);
  });
});

describe('untimedMjpeg (HTTP MJPEG is stamped with arrival times)', () => {
  it.each([
    { url: '', codec: undefined, wallclock: false },
    { url: 'http://cam/video.cgi', codec: 'mjpeg', wallclock: true },
    { url: 'HTTPS://cam/mjpg/video.mjpg', codec: 'mjpeg', wallclock: true },
    { url: 'http://cam/live.m3u8', codec: 'h264', wallclock: false },
    { url: 'rtsp://cam/stream', codec: 'mjpeg', wallclock: false }, // RTP timestamps
    { url: 'http://cam/video.cgi', codec: undefined, wallclock: false }, // not probed yet
  ])('$url $codec -> $wallclock', ({ url, codec, wallclock }) => {
    expect(untimedMjpeg(url, codec)).toBe(wallclock);
    const args = decodeArgs({ kind: 'url', url: url || 'http://x/' }, { fps: 5, size: { width: 2, height: 2 }, ioTimeoutMs: 1, ...(codec ? { codec } : {}) });
    expect(args.inputOptions.includes('-use_wallclock_as_timestamps')).toBe(wallclock && url !== '');
  });
});

describe('probeArgs', () => {
  it.each([
    { input: { kind: 'file', path: '/a', loop: false } as SourceInput, args: ['-hide_banner', '-loglevel', 'error'] },
    {
      input: { kind: 'url', url: 'https://h/x.m3u8' } as SourceInput,
      args: ['-hide_banner', '-loglevel', 'error', '-protocol_whitelist', 'http,https,tcp,tls,httpproxy,crypto', '-max_redirects', '0', '-rw_timeout', '2000000', '-analyzeduration', '500000', '-probesize', '1000000'],
    },
    {
      input: { kind: 'url', url: 'http://cam/v.mjpg', proxyUrl: 'http://127.0.0.1:4567' } as SourceInput,
      args: ['-hide_banner', '-loglevel', 'error', '-protocol_whitelist', 'http,https,tcp,tls,httpproxy,crypto', '-max_redirects', '0', '-http_proxy', 'http://127.0.0.1:4567', '-rw_timeout', '2000000', '-analyzeduration', '500000', '-probesize', '1000000'],
    },
    { input: { kind: 'device', device: '/dev/video2' } as SourceInput, args: ['-hide_banner', '-loglevel', 'error', '-f', 'v4l2'] },
  ])('$input.kind $input.url', ({ input, args }) => {
    expect(probeArgs(input, 2000)).toEqual(args);
  });
});

describe('inputTarget / withHost (rtsp opened at the address the SSRF guard checked)', () => {
  it.each([
    { input: { kind: 'url', url: 'rtsp://cam.example/s' } as SourceInput, target: 'rtsp://cam.example/s' },
    { input: { kind: 'url', url: 'rtsp://u:p%40w@cam.example:8554/s?x=1', connectAddress: '198.18.0.9' } as SourceInput, target: 'rtsp://u:p%40w@198.18.0.9:8554/s?x=1' },
    { input: { kind: 'url', url: 'rtsp://cam.example/s', connectAddress: '2001:db8::7' } as SourceInput, target: 'rtsp://[2001:db8::7]/s' },
  ])('$target', ({ input, target }) => {
    expect(inputTarget(input)).toBe(target);
  });
});
