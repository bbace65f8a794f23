import { cameraSourceInput, parseSourceOptions, SourceInputError } from './camera-source';

describe('parseSourceOptions', () => {
  it.each([
    { raw: undefined, out: {} },
    { raw: null, out: {} },
    { raw: {}, out: {} },
    { raw: { loop: false, transport: 'udp', frameSkip: 3 }, out: { loop: false, transport: 'udp', frameSkip: 3 } },
    { raw: [], error: /sourceOptions must be an object/ },
    { raw: { loop: 'yes' }, error: /sourceOptions.loop must be a boolean/ },
    { raw: { transport: 'sctp' }, error: /sourceOptions.transport must be 'tcp' or 'udp'/ },
    { raw: { frameSkip: 0 }, error: /frameSkip must be an integer from 1 to 100/ },
    { raw: { frameSkip: 1.5 }, error: /frameSkip must be an integer/ },
    { raw: { frameSkip: 101 }, error: /frameSkip must be an integer/ },
    { raw: { lopo: true }, error: /sourceOptions.lopo is not a known option/ },
  ])('$raw', ({ raw, out, error }) => {
    if (error) expect(() => parseSourceOptions(raw)).toThrow(error);
    else expect(parseSourceOptions(raw)).toEqual(out);
  });
});

describe('cameraSourceInput', () => {
  it.each([
    { type: 'rtsp', url: '', error: /sourceUrl is required/ },
    { type: 'file', url: 'hall.mp4', out: { kind: 'file', path: 'hall.mp4', loop: true } },
    { type: 'file', url: 'hall.mp4', options: { loop: false }, out: { kind: 'file', path: 'hall.mp4', loop: false } },
    { type: 'usb', url: '0', out: { kind: 'device', device: '/dev/video0' } },
    { type: 'usb', url: '/dev/video12', out: { kind: 'device', device: '/dev/video12' } },
    { type: 'usb', url: '/dev/sda', error: /V4L2 device/ },
    { type: 'usb', url: '../../dev/video0', error: /V4L2 device/ },
    { type: 'rtsp', url: 'rtsp://u:p@10.0.0.5:554/s', out: { kind: 'url', url: 'rtsp://u:p@10.0.0.5:554/s' } },
    { type: 'rtsp', url: 'rtsp://cam/s', options: { transport: 'udp' }, out: { kind: 'url', url: 'rtsp://cam/s', transport: 'udp' } },
    { type: 'rtsp', url: 'rtsps://cam/s', out: { kind: 'url', url: 'rtsps://cam/s' } },
    { type: 'rtsp', url: 'http://cam/s', error: /unsupported scheme http: for a rtsp source \(allowed: rtsp: rtsps:\)/ },
    { type: 'rtsp', url: 'ftp://cam/s', error: /unsupported scheme ftp:/ },
    { type: 'rtsp', url: 'rtsp:/cam/s', error: /malformed rtsp URL: expected rtsp:\/\/host/ },
    { type: 'rtsp', url: 'rtsp://', error: /malformed rtsp URL/ },
    { type: 'rtsp', url: 'rtsp://cam:99999/s', error: /malformed rtsp URL/ },
    { type: 'rtsp', url: 'rtsp://user:hunter22@cam /s', error: /malformed rtsp URL: contains whitespace/ },
    { type: 'rtsp', url: 'cam.local/stream', error: /malformed rtsp URL/ },
    { type: 'rtsp', url: 'rtsp://cam/s#x', error: /fragment/ },
    { type: 'rtsp', url: 'rtsp://cam/s\u0000', error: /control characters/ },
    { type: 'http', url: 'https://cam/video.mjpg', out: { kind: 'url', url: 'https://cam/video.mjpg' } },
    { type: 'hls', url: 'http://cdn/live/index.m3u8', out: { kind: 'url', url: 'http://cdn/live/index.m3u8' } },
    { type: 'hls', url: 'file:///etc/passwd', error: /unsupported scheme file:/ },
    { type: 'http', url: 'concat:a|b', error: /unsupported scheme concat:/ },
    { type: 'rtmp', url: 'rtmp://host/app/key', out: { kind: 'url', url: 'rtmp://host/app/key' } },
    { type: 'rtmp', url: 'rtmp://host', error: /expected rtmp:\/\/host\/app\/stream/ },
    { type: 'webrtc', url: 'x', error: /unknown sourceType/ },
    { type: 'rtsp', url: `rtsp://cam/${'a'.repeat(2100)}`, error: /longer than 2048/ },
    // Issue #17: what the guard parses and what ffmpeg opens must be the same URL.
    { type: 'http', url: 'http://203.0.113.1\\@127.0.0.1:18081/probe.mjpg', error: /sourceUrl: a http URL may not contain a backslash/ },
    { type: 'hls', url: 'http://203.0.113.1\\@127.0.0.1:18081/live.m3u8', error: /backslash/ },
    { type: 'rtsp', url: 'rtsp://cam\\x/s', error: /backslash/ },
    { type: 'rtsp', url: 'rtsp://a@b:pw@127.0.0.1/s', error: /'@' inside the user name or password of a rtsp URL must be written %40/ },
    { type: 'http', url: 'http://u:p@ss@cam/x?y=a@b', error: /%40/ },
    { type: 'http', url: 'http://u:p%40ss@cam/x?y=a@b', out: { kind: 'url', url: 'http://u:p%40ss@cam/x?y=a@b' } },
    // Re-serialised: the parser's own form is what ffmpeg gets.
    { type: 'http', url: 'HTTP://CAM.Example:80/a/../v.mjpg', out: { kind: 'url', url: 'http://cam.example/v.mjpg' } },
    { type: 'http', url: 'http://0x7f.1/v.mjpg', out: { kind: 'url', url: 'http://127.0.0.1/v.mjpg' } },
    { type: 'http', url: 'http://cam/a b', error: /whitespace/ },
  ])('$type $url', ({ type, url, options, out, error }) => {
    const run = () => cameraSourceInput(type as never, url, options);
    if (error) {
      expect(run).toThrow(SourceInputError);
      expect(run).toThrow(error);
    } else expect(run()).toEqual(out);
  });

  it('never echoes credentials of a malformed URL', () => {
    let message = '';
    try {
      cameraSourceInput('rtsp', 'rtsp://admin:hunter22@[bad/s', {});
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/malformed rtsp URL/);
    expect(message).not.toMatch(/hunter22|admin/);
  });
});
