import { StderrRing, summarizeFfmpegLog } from './ffmpeg-log';

describe('summarizeFfmpegLog', () => {
  it.each([
    { name: 'no lines', lines: [] as string[], out: undefined },
    { name: 'blank only', lines: ['', '  '], out: undefined },
    { name: 'last useful line', lines: ['a', 'http://x: Connection refused'], out: 'http://x: Connection refused' },
    { name: 'strips the context prefix', lines: ['[tcp @ 0x55e27ee54ac0] Connection to tcp://h:1 failed: Connection refused'], out: 'Connection to tcp://h:1 failed: Connection refused' },
    { name: 'skips generic noise', lines: ['/a.mp4: Invalid data found when processing input', 'Conversion failed!'], out: '/a.mp4: Invalid data found when processing input' },
  ])('$name', ({ lines, out }) => {
    expect(summarizeFfmpegLog(lines)).toBe(out);
  });
});

describe('StderrRing', () => {
  it.each([
    { name: 'nothing', push: [] as string[], out: [] as string[] },
    { name: 'ignores blank lines', push: ['', ' \r'], out: [] },
    { name: 'keeps the last N', push: ['1', '2', '3', '4'], out: ['2', '3', '4'] },
    { name: 'redacts on the way in', push: ['rtsp://u:pw@h/s: 401'], out: ['rtsp://XX@h/s: 401'] },
    { name: 'truncates long lines', push: ['x'.repeat(1000)], out: [`${'x'.repeat(300)}…`] },
  ])('$name', ({ push, out }) => {
    const ring = new StderrRing(3, (s) => s.replace('u:pw', 'XX'));
    push.forEach((l) => ring.push(l));
    expect(ring.toArray()).toEqual(out);
  });
});
