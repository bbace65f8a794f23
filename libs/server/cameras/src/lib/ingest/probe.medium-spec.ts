import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FFPROBE, sharedDataDir } from './ingest.test-util';
import { probeSource } from './probe';

const DATA = sharedDataDir(process.env.CROWDSAFE_SHARED_DATA);
const opts = { ffprobePath: FFPROBE, timeoutMs: 10_000 };

// jest ignores testTimeout inside a `projects` entry (5 s default otherwise).
jest.setTimeout(30_000);

describe('probeSource (real ffprobe)', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'crowdsafe-probe-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    { file: 'videos/hall_topdown_1280x720_25fps_reencoded.mp4', width: 1280, height: 720, fps: 25, durationS: 13.64 },
    { file: 'videos/street_crosswalk_640x360_24fps.mp4', width: 640, height: 360, fps: 23.976, durationS: 28.6 },
  ])('$file', async ({ file, width, height, fps, durationS }) => {
    const r = await probeSource({ kind: 'file', path: join(DATA, file), loop: false }, opts);
    expect(r).toMatchObject({ codec: 'h264', width, height });
    expect(r.fps).toBeCloseTo(fps, 2);
    expect(r.durationS).toBeCloseTo(durationS, 1);
  });

  it('missing file: not-found naming the path', async () => {
    const path = join(dir, 'nope.mp4');
    await expect(probeSource({ kind: 'file', path, loop: false }, opts)).rejects.toMatchObject({
      code: 'not-found',
      message: `video file not found: ${path}`,
    });
  });

  it('not a video: not-video, one line', async () => {
    const path = join(dir, 'notes.mp4');
    writeFileSync(path, 'hello, not a video\n');
    const err = await probeSource({ kind: 'file', path, loop: false }, opts).catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'not-video', message: `cannot open ${path}: Invalid data found when processing input` });
  });

  it('closed port: failed, credentials redacted', async () => {
    const err = await probeSource({ kind: 'url', url: 'http://admin:hunter22@127.0.0.1:1/live.m3u8' }, opts).catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'failed', message: 'cannot open http://***@127.0.0.1:1/live.m3u8: Connection refused' });
    expect((err as Error).message).not.toMatch(/admin|hunter22/);
  });

  it('ffprobe binary missing: clear error', async () => {
    const path = join(DATA, 'videos/street_crosswalk_640x360_24fps.mp4');
    await expect(probeSource({ kind: 'file', path, loop: false }, { ffprobePath: '/nonexistent/ffprobe', timeoutMs: 5000 })).rejects.toMatchObject({
      code: 'failed',
      message: 'cannot run ffprobe at /nonexistent/ffprobe: not found',
    });
  });

  describe('a server that accepts and never answers', () => {
    let server: Server;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      server = createServer((s) => sockets.add(s));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    });
    afterAll(async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => server.close(r));
    });

    it('times out with a clear message', async () => {
      const port = (server.address() as { port: number }).port;
      const url = `http://user:hunter22@127.0.0.1:${port}/stream`;
      const err = await probeSource({ kind: 'url', url }, { ffprobePath: FFPROBE, timeoutMs: 700 }).catch((e: Error) => e);
      expect(err).toMatchObject({ code: 'timeout', message: `probe timed out after 700 ms: http://***@127.0.0.1:${port}/stream` });
    });
  });
});
