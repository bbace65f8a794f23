import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveTranscoder, type TouchResult, type TranscoderChild } from './live-transcoder';
import { FEED_FIFO_PACKETS, feedFormatOf, hlsFeedOutputArgs, hlsTranscoderArgs } from './segment-plan';

class FakeChild extends EventEmitter implements TranscoderChild {
  static next = 1000;
  readonly pid = FakeChild.next++;
  readonly signals: string[] = [];
  constructor(readonly args: string[]) {
    super();
  }
  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    this.signals.push(signal);
    setImmediate(() => this.emit('exit', null, signal));
    return true;
  }
  die(code: number): void {
    this.emit('exit', code, null);
  }
}

const feed = { format: 'mjpeg' as const, port: 23_456, maxWidth: 960, fps: 15 };

function setup(o: { lingerMs?: number; maxSessions?: number; backoffMs?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cs-live-tx-'));
  let now = 1_000_000;
  const children: FakeChild[] = [];
  const t = new LiveTranscoder({
    ffmpegPath: 'ffmpeg',
    segmentS: 0.5,
    lingerMs: o.lingerMs ?? 30_000,
    maxSessions: o.maxSessions ?? 4,
    restartBackoffMs: o.backoffMs ?? 2_000,
    liveDir: (id) => join(dir, id),
    spawn: (_ffmpeg, args) => {
      const c = new FakeChild(args);
      children.push(c);
      return c;
    },
    now: () => now,
  });
  return { t, children, dir, advance: (ms: number) => (now += ms), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('LiveTranscoder lifecycle', () => {
  it.each<{ name: string; feeds: string[]; touches: string[]; results: TouchResult[]; spawned: number; maxSessions?: number }>([
    { name: 'no request: nothing runs', feeds: ['a'], touches: [], results: [], spawned: 0 },
    { name: 'no feed: nothing to start', feeds: [], touches: ['a'], results: ['no-feed'], spawned: 0 },
    { name: 'first request starts, later ones keep it', feeds: ['a'], touches: ['a', 'a', 'a'], results: ['started', 'running', 'running'], spawned: 1 },
    { name: 'one session per camera', feeds: ['a', 'b'], touches: ['a', 'b', 'a', 'b'], results: ['started', 'started', 'running', 'running'], spawned: 2 },
    { name: 'bounded sessions', feeds: ['a', 'b', 'c'], touches: ['a', 'b', 'c', 'a'], results: ['started', 'started', 'busy', 'running'], spawned: 2, maxSessions: 2 },
  ])('$name', ({ feeds, touches, results, spawned, maxSessions }) => {
    const s = setup({ maxSessions });
    try {
      for (const id of feeds) s.t.setFeed(id, feed);
      expect(touches.map((id) => s.t.touch(id))).toEqual(results);
      expect(s.children).toHaveLength(spawned);
      for (const id of feeds) expect(s.t.state(id)).toBe(touches.includes(id) && results[touches.indexOf(id)] === 'started' ? 'running' : 'idle');
    } finally {
      s.cleanup();
    }
  });

  it('spawns ffmpeg on the camera feed with the transcode rendition', () => {
    const s = setup();
    try {
      s.t.setFeed('a', feed);
      s.t.touch('a');
      const args = s.children[0].args.join(' ');
      expect(args).toContain('-f mjpeg -i udp://127.0.0.1:23456');
      expect(args).toContain('libx264');
      expect(args).toContain('-hls_time 0.5');
      expect(args).toContain(join(s.dir, 'a', 'index.m3u8'));
    } finally {
      s.cleanup();
    }
  });

  it('a request waiting for the first segment keeps the transcode alive past the linger', async () => {
    const s = setup({ lingerMs: 3_000 });
    try {
      s.t.setFeed('a', feed);
      s.t.touch('a');
      const waiting = s.t.waitReady('a', 10_000);
      for (let i = 0; i < 5; i++) {
        s.advance(1_000); // the first segment takes 5 s here (slower than the 3 s linger)
        await new Promise((r) => setTimeout(r, 110)); // one poll of waitReady
        expect(s.t.sweep()).toEqual([]);
      }
      expect(s.t.state('a')).toBe('running');
      writeFileSync(join(s.dir, 'a', 'index.m3u8'), '#EXTM3U\n#EXTINF:0.5,\nseg-1.ts\n');
      await expect(waiting).resolves.toBe(true);
      expect(s.children[0].signals).toEqual([]);
      // Nobody asks any more: the linger runs from the last wait.
      s.advance(3_000);
      expect(s.t.sweep()).toEqual(['a']);
    } finally {
      s.cleanup();
    }
  });

  it('stops after the linger without requests, not before; a later request starts again', async () => {
    const s = setup({ lingerMs: 30_000 });
    try {
      s.t.setFeed('a', feed);
      s.t.touch('a');
      s.advance(20_000);
      s.t.touch('a'); // keeps it alive
      s.advance(29_000);
      expect(s.t.sweep()).toEqual([]);
      expect(s.t.state('a')).toBe('running');
      s.advance(1_000);
      expect(s.t.sweep()).toEqual(['a']);
      expect(s.children[0].signals).toEqual(['SIGTERM']);
      expect(s.t.state('a')).toBe('idle');
      expect(s.t.pidOf('a')).toBeUndefined();
      s.advance(5_000);
      expect(s.t.touch('a')).toBe('backoff'); // the stopped ffmpeg has not exited yet: its UDP port is still bound
      await new Promise((r) => setImmediate(r));
      expect(s.t.touch('a')).toBe('started');
      expect(s.children).toHaveLength(2);
    } finally {
      s.cleanup();
    }
  });

  it('restarts after ffmpeg dies, at most once per backoff', () => {
    const s = setup({ backoffMs: 2_000 });
    const logs: string[] = [];
    try {
      s.t.setFeed('a', feed);
      s.t.touch('a');
      s.children[0].die(1);
      expect(s.t.state('a')).toBe('idle');
      expect(s.t.touch('a')).toBe('backoff');
      s.advance(2_000);
      expect(s.t.touch('a')).toBe('started');
      expect(s.children).toHaveLength(2);
      expect(s.t.pidOf('a')).toBe(s.children[1].pid);
      expect(logs).toEqual([]);
    } finally {
      s.cleanup();
    }
  });

  it('dropFeed and a new port stop the running transcode; stopAll stops every one', () => {
    const s = setup();
    try {
      s.t.setFeed('a', feed);
      s.t.setFeed('b', feed);
      s.t.setFeed('c', feed);
      ['a', 'b', 'c'].forEach((id) => s.t.touch(id));
      s.t.dropFeed('a');
      expect(s.children[0].signals).toEqual(['SIGTERM']);
      expect(s.t.state('a')).toBeUndefined();
      s.t.setFeed('b', feed); // same port: kept
      expect(s.children[1].signals).toEqual([]);
      s.t.setFeed('b', { ...feed, port: 23_457 });
      expect(s.children[1].signals).toEqual(['SIGTERM']);
      s.t.stopAll();
      expect(s.children[2].signals).toEqual(['SIGTERM']);
      expect(s.t.cameraIds().sort()).toEqual(['b', 'c']);
    } finally {
      s.cleanup();
    }
  });

  it('playlistReady: only a playlist that lists a segment, and a stale one is removed at start', async () => {
    const s = setup();
    try {
      expect(s.t.playlistReady('a')).toBe(false);
      s.t.setFeed('a', feed);
      s.t.touch('a');
      writeFileSync(join(s.dir, 'a', 'index.m3u8'), '#EXTM3U\n#EXT-X-TARGETDURATION:1\n');
      expect(s.t.playlistReady('a')).toBe(false);
      writeFileSync(join(s.dir, 'a', 'index.m3u8'), '#EXTM3U\n#EXTINF:0.5,\n1-abcdef-7.ts\n');
      expect(s.t.playlistReady('a')).toBe(true);
      s.t.stopAll();
      s.advance(10_000);
      await new Promise((r) => setImmediate(r)); // the stopped ffmpeg exits
      expect(s.t.touch('a')).toBe('started');
      expect(s.t.playlistReady('a')).toBe(false);
    } finally {
      s.cleanup();
    }
  });

  it.each([
    [{ lingerMs: 0 }, 'lingerMs'],
    [{ maxSessions: 0 }, 'maxSessions'],
  ])('rejects bad options %j', (bad, field) => {
    expect(() => new LiveTranscoder({ ffmpegPath: 'ffmpeg', segmentS: 1, lingerMs: 1000, maxSessions: 1, liveDir: () => '/x', ...bad })).toThrow(field);
  });
});

describe('feed arguments', () => {
  it.each([
    [undefined, undefined],
    ['h264', 'mpegts'],
    ['hevc', 'mpegts'],
    ['mjpeg', 'mjpeg'],
    ['rawvideo', undefined],
  ])('%s -> %s', (codec, format) => {
    expect(feedFormatOf(codec)).toBe(format);
  });

  it('copies into a loopback UDP port, never encodes', () => {
    const o = hlsFeedOutputArgs({ format: 'mpegts', port: 20_001 });
    expect(o.target).toBe('udp://127.0.0.1:20001?pkt_size=1316');
    expect(o.options.join(' ')).toContain('-c:v copy -flush_packets 1 -f mpegts');
    expect(o.options).not.toContain('libx264');
  });

  it.each([0, 70_000, 1.5])('rejects port %s', (port) => {
    expect(() => hlsFeedOutputArgs({ format: 'mjpeg', port })).toThrow('port');
    expect(() => hlsTranscoderArgs({ format: 'mjpeg', port, segmentS: 1, dir: '/d', runId: '1-abcdef', maxWidth: 960, fps: 15 })).toThrow('port');
  });

  it('stamps raw MJPEG with arrival times, not MPEG-TS', () => {
    const m = hlsTranscoderArgs({ format: 'mjpeg', port: 20_001, segmentS: 1, dir: '/d', runId: '1-abcdef', maxWidth: 960, fps: 15 });
    const t = hlsTranscoderArgs({ format: 'mpegts', port: 20_001, segmentS: 1, dir: '/d', runId: '1-abcdef', maxWidth: 960, fps: 15 });
    expect(m).toContain('-use_wallclock_as_timestamps');
    expect(t).not.toContain('-use_wallclock_as_timestamps');
  });

  it('spawns the rendition of the feed: its width and height bounds', () => {
    const s = setup();
    try {
      s.t.setFeed('a', { ...feed, maxHeight: 360 });
      s.t.setFeed('b', feed);
      s.t.touch('a');
      s.t.touch('b');
      const vf = (c: FakeChild) => c.args[c.args.indexOf('-vf') + 1];
      expect(vf(s.children[0])).toContain("h='min(360,ih)'");
      expect(vf(s.children[1])).toBe("fps=15,scale='min(960,iw)':-2");
    } finally {
      s.t.stopAll();
      s.cleanup();
    }
  });

  it('bounds its input queue (a late transcode drops, it does not fall further behind) and decodes on one thread', () => {
    const a = hlsTranscoderArgs({ format: 'mpegts', port: 20_001, segmentS: 0.5, dir: '/d', runId: '1-abcdef', maxWidth: 960, maxHeight: 360, fps: 15 });
    const input = a[a.indexOf('-i') + 1];
    expect(input).toBe(`udp://127.0.0.1:20001?fifo_size=${FEED_FIFO_PACKETS.mpegts}&overrun_nonfatal=1&timeout=10000000`);
    expect(FEED_FIFO_PACKETS.mpegts * 188).toBeLessThanOrEqual(1.1e6);
    const m = hlsTranscoderArgs({ format: 'mjpeg', port: 20_001, segmentS: 0.5, dir: '/d', runId: '1-abcdef', maxWidth: 960, fps: 15 });
    expect(m[m.indexOf('-i') + 1]).toContain(`fifo_size=${FEED_FIFO_PACKETS.mjpeg}&`);
    expect(FEED_FIFO_PACKETS.mjpeg * 188).toBeLessThanOrEqual(140_000);
    expect(a.slice(0, a.indexOf('-i'))).toEqual(expect.arrayContaining(['-threads', '1', 'low_delay']));
    expect(a[a.indexOf('-vf') + 1]).toContain("h='min(360,ih)'");
    expect(a[a.length - 1]).toBe('/d/index.m3u8');
  });
});
