import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FfmpegFrameSource, type FfmpegFrameSourceOptions } from './ffmpeg-frame-source';
import { FFMPEG, FFPROBE, isAlive, makeClip, record, sharedDataDir, waitFor } from './ingest.test-util';
import type { SourceInput } from './source-input';

const HALL = join(sharedDataDir(process.env.CROWDSAFE_SHARED_DATA), 'videos', 'hall_topdown_1280x720_25fps_reencoded.mp4');

// jest ignores testTimeout inside a `projects` entry (5 s default otherwise).
jest.setTimeout(30_000);

describe('FfmpegFrameSource (real ffmpeg)', () => {
  let dir: string;
  let clip1s: string;
  const running: FfmpegFrameSource[] = [];

  function source(input: SourceInput, over: Partial<FfmpegFrameSourceOptions> = {}): FfmpegFrameSource {
    const s = new FfmpegFrameSource({
      cameraId: 'cam-1',
      input,
      fps: 5,
      maxWidth: 640,
      ffmpegPath: FFMPEG,
      ffprobePath: FFPROBE,
      stallTimeoutMs: 5000,
      backoff: { initialMs: 100, maxMs: 1000 },
      ...over,
    });
    running.push(s);
    return s;
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crowdsafe-ingest-'));
    clip1s = makeClip(dir, 'clip1s.mp4', { seconds: 1, width: 320, height: 240, fps: 10 });
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hall video at 5 fps, maxWidth 640 -> 640x360 RGB frames with increasing seq', async () => {
    const s = source({ kind: 'file', path: HALL, loop: false });
    const rec = record(s);
    await s.start();
    await waitFor('6 frames', () => rec.frames.length >= 6);
    expect(rec.seen('connecting', 'online')).toBe(true);
    for (const f of rec.frames) {
      expect(f).toMatchObject({ cameraId: 'cam-1', width: 640, height: 360 });
      expect(f.data.length).toBe(640 * 360 * 3);
    }
    const seqs = rec.frames.map((f) => f.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    // A real picture, not a blank buffer.
    expect(new Set(rec.frames[0].data.subarray(0, 30_000)).size).toBeGreaterThan(10);
    const st = s.stats();
    expect(st).toMatchObject({ width: 640, height: 360, restarts: 0 });
    expect(st.framesDecoded).toBeGreaterThanOrEqual(6);
    expect(st.bytesRead).toBeGreaterThanOrEqual(st.framesDecoded * 640 * 360 * 3);
    expect(st.lastFrameAt).not.toBeNull();
    expect(st.fpsIn).toBeGreaterThan(0);
  });

  it('loop: a 1-second clip keeps producing frames past 2 s', async () => {
    const s = source({ kind: 'file', path: clip1s, loop: true }, { fps: 10 });
    const rec = record(s);
    const t0 = Date.now();
    await s.start();
    await waitFor('a frame captured 2.5 s after start', () => rec.frames.some((f) => f.capturedAt - t0 > 2500));
    expect(rec.statuses.map((x) => x.status)).not.toContain('offline');
    expect(rec.frames[0]).toMatchObject({ width: 320, height: 240 });
    expect(s.stats().restarts).toBe(0); // looped by ffmpeg itself, not by restarts
  });

  it('no loop: goes offline at the end of the file', async () => {
    const s = source({ kind: 'file', path: clip1s, loop: false }, { fps: 10 });
    const rec = record(s);
    await s.start();
    await waitFor('offline', () => s.getStatus().status === 'offline');
    expect(s.getStatus()).toEqual({ status: 'offline', reason: 'end of file' });
    expect(rec.seen('connecting', 'online', 'offline')).toBe(true);
    expect(rec.frames.length).toBeGreaterThanOrEqual(5);
    expect(s.pid).toBeNull();
  });

  it('missing file: status error naming the path', async () => {
    const path = join(dir, 'missing.mp4');
    const s = source({ kind: 'file', path, loop: false });
    await s.start();
    expect(s.getStatus()).toEqual({ status: 'error', reason: `video file not found: ${path}` });
    expect(s.pid).toBeNull();
  });

  it('kill -9 of ffmpeg: restarts and frames resume', async () => {
    const s = source({ kind: 'file', path: HALL, loop: true });
    const rec = record(s);
    await s.start();
    await waitFor('online', () => rec.frames.length >= 2);
    const pid = s.pid as number;
    const seqBefore = rec.frames[rec.frames.length - 1].seq;
    process.kill(pid, 'SIGKILL');
    await waitFor('connecting then online again', () => rec.seen('online', 'connecting', 'online'));
    await waitFor('new frames', () => rec.frames.some((f) => f.seq > seqBefore + 2));
    expect(rec.statuses).toContainEqual({ status: 'connecting', reason: 'ffmpeg killed by SIGKILL' });
    expect(s.stats().restarts).toBe(1);
    expect(s.pid).not.toBe(pid);
    expect(isAlive(pid)).toBe(false);
    const seqs = rec.frames.map((f) => f.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i)); // not reset by the restart
  });

  it('watchdog: a frozen ffmpeg (SIGSTOP) is killed and restarted', async () => {
    const s = source({ kind: 'file', path: HALL, loop: true }, { stallTimeoutMs: 800 });
    const rec = record(s);
    await s.start();
    await waitFor('online', () => rec.frames.length >= 1);
    const pid = s.pid as number;
    process.kill(pid, 'SIGSTOP');
    await waitFor('online again', () => rec.seen('online', 'connecting', 'online'));
    expect(rec.statuses).toContainEqual({ status: 'connecting', reason: 'stream stalled: no frame for 800 ms' });
    expect(isAlive(pid)).toBe(false);
  });

  it('stop(): ffmpeg is gone, status offline, idempotent', async () => {
    const s = source({ kind: 'file', path: HALL, loop: true });
    const rec = record(s);
    await s.start();
    await waitFor('a frame', () => rec.frames.length >= 1);
    const pid = s.pid as number;
    expect(isAlive(pid)).toBe(true);
    await Promise.all([s.stop(), s.stop()]);
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    expect(s.getStatus()).toEqual({ status: 'offline', reason: 'stopped' });
    expect(s.pid).toBeNull();
    const n = rec.frames.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(rec.frames.length).toBe(n);
    await expect(s.stop()).resolves.toBeUndefined();
    await expect(s.start()).rejects.toThrow(/stopped/);
  });

  it('stop() right after start() (before ffmpeg is spawned) leaves nothing running', async () => {
    const s = source({ kind: 'file', path: HALL, loop: true });
    const started = s.start();
    await s.stop();
    await started;
    expect(s.pid).toBeNull();
    expect(s.getStatus().status).toBe('offline');
  });

  it('closed port with credentials: status error, reason redacted, keeps retrying', async () => {
    const s = source({ kind: 'url', url: 'http://admin:hunter22@127.0.0.1:1/live.m3u8' });
    const rec = record(s);
    await s.start();
    expect(s.getStatus()).toEqual({ status: 'error', reason: 'cannot open http://***@127.0.0.1:1/live.m3u8: Connection refused' });
    await waitFor('a retry', () => s.stats().restarts >= 2);
    const text = JSON.stringify([rec.statuses, s.recentLog()]);
    expect(text).not.toMatch(/admin|hunter22/);
    expect(rec.statuses.map((x) => x.status)).toEqual(['connecting', 'error']); // no flapping while retrying
  });

  it('ffmpeg binary missing: status error with a clear reason', async () => {
    const s = source({ kind: 'file', path: clip1s, loop: true }, { ffmpegPath: '/nonexistent/ffmpeg' });
    await s.start();
    await waitFor('error', () => s.getStatus().status === 'error');
    expect(s.getStatus().reason).toMatch(/^cannot run ffmpeg \(\/nonexistent\/ffmpeg\): .*ENOENT/);
    expect(s.pid).toBeNull();
  });
});
