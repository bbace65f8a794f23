// Recordings on real ffmpeg: a camera (a looping H.264 file read at its native rate, as every camera) runs through
// the real supervisor, whose ffmpeg also copies the stream into MPEG-TS segments; the real RecordingsModule records
// on demand and for alerts, assembles clips without re-encoding, serves them with HTTP Range, and applies retention.
// SQLite in a temp dir; the AlertsService is a stand-in that lets the test emit alert events (the real one calls
// the same listeners after persisting, see alerts.service.ts onEvent).
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Global, type INestApplication, Module, ValidationPipe } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { FrameDetections, RawFrame, RecordingStatusEvent, RecordingStorageEvent } from '@crowdsafe/contracts';
import { FrameStore, InferenceClient } from '@crowdsafe/server-ai';
import { AlertsService } from '@crowdsafe/server-alerts';
import { CameraSupervisor } from '@crowdsafe/server-cameras';
import { AppConfigModule, loadConfig, type AppConfig } from '@crowdsafe/server-config';
import { LiveEventsPublisher, type EngineAlertEvent } from '@crowdsafe/server-core';
import { AlertRepository, CameraRepository, DatabaseModule } from '@crowdsafe/server-database';
import { RecordingRepository } from './recording.repository';
import { RecordingsModule } from './recordings.module';
import { DISK_STAT, type DiskStat, RecordingsRetentionService } from './recordings-retention.service';
import { RecordingsService } from './recordings.service';
import { SegmentRecorder } from './segment-recorder';

jest.setTimeout(180_000);

const FFMPEG = process.env.FFMPEG_PATH ?? 'ffmpeg';
const FFPROBE = process.env.FFPROBE_PATH ?? 'ffprobe';

class Live extends LiveEventsPublisher {
  readonly recordings: RecordingStatusEvent[] = [];
  readonly storage: RecordingStorageEvent[] = [];
  publishMetrics(): void {
    // not watched
  }
  publishCameraStatus(): void {
    // not watched
  }
  publishFrame(): void {
    // not watched
  }
  wantsFrames(): boolean {
    return false;
  }
  override publishRecordingStatus(e: RecordingStatusEvent): void {
    this.recordings.push(e);
  }
  override publishRecordingStorage(e: RecordingStorageEvent): void {
    this.storage.push(e);
  }
}

class NobodyInference {
  async detect(ref: { key: string; cameraId: string; seq: number; capturedAt: number }): Promise<FrameDetections> {
    return { key: ref.key, cameraId: ref.cameraId, seq: ref.seq, capturedAt: ref.capturedAt, detections: [] };
  }
  /** No jobs: the camera supervisor's pass budget stays uncapped. */
  onJob() {
    return () => undefined;
  }
}
class PassThroughFrameStore {
  async put(frame: RawFrame) {
    return { key: `f:${frame.cameraId}:${frame.seq}`, cameraId: frame.cameraId, seq: frame.seq, capturedAt: frame.capturedAt, width: frame.width, height: frame.height };
  }
  async get(): Promise<undefined> {
    return undefined;
  }
  async close(): Promise<void> {
    // nothing held
  }
}
/** The AlertsService port the recorder uses: onEvent. */
class AlertEvents {
  listener: ((ev: EngineAlertEvent) => void) | null = null;
  onEvent(l: (ev: EngineAlertEvent) => void): () => void {
    this.listener = l;
    return () => (this.listener = null);
  }
}

/** Disk stand-in: `total` bytes of which the real files under the recordings folder are the only ones used. */
class FakeDisk {
  /** 0 = a 1 TB disk (retention's periodic pass must not delete anything before the retention test). */
  total = 0;
  /** Bytes used by other files on the disk. */
  other = 0;
  constructor(private readonly dir: string) {}
  stat: DiskStat = async () => {
    const used = bytesUnder(this.dir) + this.other;
    const total = this.total || 1e12;
    return { totalBytes: total, freeBytes: Math.max(0, total - used) };
  };
}
function bytesUnder(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? bytesUnder(p) : statSync(p).size;
  }
  return n;
}

function sh(bin: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) =>
    execFile(bin, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => (err ? reject(new Error(`${bin}: ${stderr || err.message}`)) : resolve({ stdout: String(stdout), stderr: String(stderr) }))),
  );
}
async function probe(path: string): Promise<{ codec: string; duration: number; format: string }> {
  const { stdout } = await sh(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name:format=duration,format_name', '-of', 'json', path]);
  const j = JSON.parse(stdout) as { streams: { codec_name: string }[]; format: { duration: string; format_name: string } };
  return { codec: j.streams[0].codec_name, duration: Number(j.format.duration), format: j.format.format_name };
}
/** md5 of every decoded frame (ffmpeg framemd5), in order. */
async function frameHashes(path: string, max?: number): Promise<string[]> {
  const { stdout } = await sh(FFMPEG, ['-v', 'error', '-i', path, ...(max ? ['-frames:v', String(max)] : []), '-map', '0:v:0', '-f', 'framemd5', '-']);
  return stdout.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').pop()!.trim());
}
async function waitFor<T>(fn: () => Promise<T | undefined | false | null> | T | undefined | false | null, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('recordings on real ffmpeg', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-recordings-'));
  const mediaDir = join(dir, 'media');
  let app: INestApplication;
  let config: AppConfig;
  const live = new Live();
  const alertEvents = new AlertEvents();
  let disk: FakeDisk;
  let cameraId: string;
  let stoppedCameraId: string;
  let service: RecordingsService;
  let repo: RecordingRepository;
  const api = () => request(app.getHttpServer());

  beforeAll(async () => {
    mkdirSync(mediaDir);
    // 90 s of H.264 with a keyframe every second (so a copy can cut on whole seconds), 10 fps, no repeat inside the test.
    execFileSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=10:duration=90', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '10', '-pix_fmt', 'yuv420p', join(mediaDir, 'cam.mp4')]);
    config = loadConfig(
      {
        SQLITE_PATH: join(dir, 'rec.sqlite'),
        DATA_DIR: dir,
        MEDIA_DIR: mediaDir,
        SAMPLE_CAMERA: 'false',
        FFMPEG_PATH: FFMPEG,
        FFPROBE_PATH: FFPROBE,
        CAMERA_DEFAULT_FPS: '2',
        RECORDING_SEGMENT_S: '2',
        LIVE_HLS_MODE: 'auto',
        LIVE_HLS_LINGER_S: '3',
        RECORDING_BUFFER_S: '30',
        RECORDING_ALERT_PREROLL_S: '10',
        RECORDING_ALERT_POSTROLL_S: '5',
        RECORDING_MIN_FREE_MB: '0',
        JWT_SECRET: 'x'.repeat(40),
      },
      dir,
    );
    disk = new FakeDisk(config.recordings.dir);
    @Global()
    @Module({
      providers: [
        { provide: LiveEventsPublisher, useValue: live },
        { provide: FrameStore, useClass: PassThroughFrameStore },
        { provide: InferenceClient, useClass: NobodyInference },
        { provide: AlertsService, useValue: alertEvents },
      ],
      exports: [LiveEventsPublisher, FrameStore, InferenceClient, AlertsService],
    })
    class TestEdgesModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot(config), TestEdgesModule, RecordingsModule] })
      .overrideProvider(DISK_STAT)
      .useValue(disk.stat)
      .compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    app.setGlobalPrefix('api');
    app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
    await app.init();
    service = app.get(RecordingsService);
    repo = app.get(RecordingRepository);
    const cameras = app.get(CameraRepository);
    const cam = await cameras.create({ name: 'Gate', sourceType: 'file', sourceUrl: join(mediaDir, 'cam.mp4'), sourceOptions: { loop: true }, targetFps: 2 });
    const off = await cameras.create({ name: 'Off', sourceType: 'file', sourceUrl: join(mediaDir, 'cam.mp4'), isActive: false });
    cameraId = cam.id;
    stoppedCameraId = off.id;
    await app.get(CameraSupervisor).startCamera(cam);
    // Wait for the rolling buffer to hold > 10 s (pre-roll of the alert test).
    const recorder = app.get(SegmentRecorder);
    await waitFor(async () => {
      await recorder.store.refresh();
      const segs = recorder.store.segments(cameraId);
      return segs.length > 0 && segs[segs.length - 1].endMs - segs[0].startMs > 13_000;
    }, 'the pre-roll buffer', 60_000);
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('segments are MPEG-TS copies of the source (H.264, no re-encoding) named inside DATA_DIR/recordings', () => {
    const segs = app.get(SegmentRecorder).store.segments(cameraId);
    expect(segs.length).toBeGreaterThan(3);
    for (const s of segs) expect(s.path.startsWith(join(dir, 'recordings', 'segments', cameraId))).toBe(true);
    const d = segs.slice(0, -1).map((s) => (s.endMs - s.startMs) / 1000);
    for (const x of d) expect(x).toBeGreaterThan(1.5);
  });

  it('live HLS: a sliding playlist (auto: transcoded until the GOP is measured), ticketed segment URIs, viewers and bytes counted', async () => {
    // LIVE_HLS_MODE=auto: the first run transcodes (GOP unknown); the GOP is then measured from a recording segment.
    const recorder = app.get(SegmentRecorder);
    expect(recorder.hlsRendition(cameraId)?.kind).toBe('transcode');
    const gop = await waitFor(() => recorder.gopOf(cameraId), 'the measured GOP', 20_000);
    expect(gop).toBeGreaterThan(0.8);
    expect(gop).toBeLessThan(1.2);
    await api().get(`/api/live-hls/${cameraId}/index.m3u8`).expect(401);
    await api().post(`/api/live-hls/${randomUUID()}/ticket`).expect(404);
    const t = await api().post(`/api/live-hls/${cameraId}/ticket`).expect(200);
    await api().get(`/api/live-hls/${cameraId}/..%2F..%2Fetc%2Fpasswd?ticket=${encodeURIComponent(t.body.ticket)}`).expect(400);
    await api().get(`/api/live-hls/${stoppedCameraId}/index.m3u8?ticket=${encodeURIComponent(t.body.ticket)}`).expect(403);
    // Transcoded on demand: no transcode process until a viewer asks for the playlist.
    const liveDir = recorder.liveDir(cameraId);
    const transcoders = () => execFileSync('ps', ['-eo', 'pid=,args=']).toString().split('\n').filter((l) => l.includes('ffmpeg') && l.includes(liveDir)).map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(transcoders()).toEqual([]);
    expect(recorder.transcoder?.state(cameraId)).toBe('idle');
    const idle = await api().get('/api/live-hls/stats').expect(200);
    expect(idle.body.find((x: { cameraId: string }) => x.cameraId === cameraId)).toMatchObject({ viewers: 0, transcode: 'idle' });
    const first = await api().get(t.body.url);
    expect([200, 503]).toContain(first.status); // 503 (+ Retry-After) when the first segment took longer than LIVE_HLS_START_WAIT_MS
    if (first.status === 503) expect(first.headers['retry-after']).toBeDefined();
    expect(transcoders()).toHaveLength(1);
    const playlist = await waitFor(async () => {
      const r = await api().get(t.body.url);
      return r.status === 200 && /\.ts\?ticket=/.test(r.text) ? r : null;
    }, 'the live playlist', 30_000);
    expect(playlist.headers['content-type']).toMatch(/mpegurl/);
    expect(playlist.text).toMatch(/^#EXTM3U/);
    expect(playlist.text).not.toMatch(/#EXT-X-ENDLIST/);
    const seg = playlist.text.split('\n').find((l) => l.includes('.ts?ticket='));
    const segRes = await api().get(`/api/live-hls/${cameraId}/${seg}`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect([200, 404]).toContain(segRes.status); // 404 only if the playlist slid past it meanwhile
    if (segRes.status === 200) {
      expect(segRes.headers['content-type']).toBe('video/mp2t');
      expect((segRes.body as Buffer)[0]).toBe(0x47); // MPEG-TS sync byte
    }
    const stats = await api().get('/api/live-hls/stats').expect(200);
    expect(stats.body.find((x: { cameraId: string }) => x.cameraId === cameraId)).toMatchObject({ viewers: 1 });
    expect(stats.body.find((x: { cameraId: string }) => x.cameraId === cameraId).bytesPerS).toBeGreaterThan(0);
    expect(stats.body.find((x: { cameraId: string }) => x.cameraId === cameraId).transcode).toBe('running');
    expect(transcoders()).toHaveLength(1);
    // Nobody asks any more: the transcode stops after the linger (3 s here, swept every second).
    await waitFor(() => transcoders().length === 0, 'the transcode to stop after the linger', 20_000);
    expect(recorder.transcoder?.state(cameraId)).toBe('idle');
  });

  it('records ~12 s on demand: start -> stop -> completed -> download is an H.264 MP4 of that duration (Range works)', async () => {
    const started = await api().post(`/api/recordings/${cameraId}/start`).send({}).expect(201);
    const id = started.body.recording_id as string;
    expect(started.body.status).toBe('recording');
    expect(live.recordings.find((e) => e.recording_id === id && e.status === 'recording')).toMatchObject({ camera_id: cameraId, trigger: 'manual' });
    // A second on-demand start overlaps: 409, nothing written.
    const rows = (await repo.query({})).total;
    const overlap = await api().post(`/api/recordings/${cameraId}/start`).send({ durationS: 30 }).expect(409);
    expect(overlap.body.message).toMatch(/already has an on-demand recording in progress/);
    expect((await repo.query({})).total).toBe(rows);
    await sleep(12_000);
    await api().post(`/api/recordings/${id}/stop`).expect(200);
    await api().post(`/api/recordings/${id}/stop`).expect(409);
    const done = await waitFor(async () => {
      const r = await api().get(`/api/recordings/${id}`).expect(200);
      return r.body.status === 'completed' || r.body.status === 'failed' ? r.body : null;
    }, 'the clip', 60_000);
    expect(done.status).toBe('completed');
    expect(done.hasThumbnail).toBe(true);
    expect(done.durationS).toBeGreaterThan(10.5);
    expect(done.durationS).toBeLessThan(14.5);
    expect(live.recordings.filter((e) => e.recording_id === id).map((e) => e.status)).toEqual(['recording', 'processing', 'completed']);

    // No ticket, no Bearer: 401. With the ticket: the file, ranges included.
    await api().get(`/api/recordings/${id}/download`).expect(401);
    const t = await api().post(`/api/recordings/${id}/ticket`).expect(200);
    const full = await api().get(t.body.downloadUrl).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(full.headers['content-type']).toBe('video/mp4');
    expect(full.headers['content-disposition']).toMatch(/attachment; filename="crowdsafe-.*\.mp4"/);
    const file = join(dir, 'download.mp4');
    writeFileSync(file, full.body as Buffer);
    const p = await probe(file);
    expect(p.codec).toBe('h264');
    expect(p.format).toMatch(/mp4/);
    expect(Math.abs(p.duration - done.durationS)).toBeLessThan(0.5);
    // faststart: the moov box comes before mdat.
    const head = (full.body as Buffer).subarray(0, 4096).toString('latin1');
    expect(head.indexOf('moov')).toBeGreaterThan(0);
    expect(head.indexOf('moov')).toBeLessThan((full.body as Buffer).indexOf('mdat'));
    const part = await api().get(t.body.videoUrl).set('Range', 'bytes=100-199').expect(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${(full.body as Buffer).length}`);
    await api().get(t.body.thumbnailUrl).expect(200).expect('Content-Type', 'image/jpeg');
    // HLS VOD of the clip (seeking players): a VOD playlist of ticketed segments cut at keyframes (the source has one
    // per second: ~4 s segments), each an MPEG-TS stream copy; together they hold every frame of the clip, in order.
    await api().get(`/api/recordings/${id}/index.m3u8`).expect(401);
    expect(t.body.playlistUrl).toBe(`/api/recordings/${id}/index.m3u8?ticket=${encodeURIComponent(t.body.ticket)}`);
    const vod = await api().get(t.body.playlistUrl).expect(200);
    expect(vod.headers['content-type']).toMatch(/mpegurl/);
    expect(vod.text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(vod.text.trim().endsWith('#EXT-X-ENDLIST')).toBe(true);
    const uris = vod.text.split('\n').filter((l) => l && !l.startsWith('#'));
    const extinf = vod.text.split('\n').filter((l) => l.startsWith('#EXTINF:')).map((l) => Number(l.slice(8).split(',')[0]));
    expect(uris.length).toBeGreaterThanOrEqual(2);
    for (const u of uris) expect(u).toMatch(/^segments\/\d+\.ts\?ticket=/);
    for (const d of extinf.slice(0, -1)) expect(d).toBeGreaterThanOrEqual(3.9);
    expect(Math.abs(extinf.reduce((a, b) => a + b, 0) - done.durationS)).toBeLessThan(1);
    const parts: Buffer[] = [];
    for (const u of uris) {
      const r = await api().get(`/api/recordings/${id}/${u}`).buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(r.headers['content-type']).toBe('video/mp2t');
      expect((r.body as Buffer)[0]).toBe(0x47);
      parts.push(r.body as Buffer);
    }
    await api().get(`/api/recordings/${id}/segments/${uris.length}.ts?ticket=${encodeURIComponent(t.body.ticket)}`).expect(404);
    await api().get(`/api/recordings/${id}/segments/..%2Fx.ts?ticket=${encodeURIComponent(t.body.ticket)}`).expect(400);
    writeFileSync(join(dir, 'vod.ts'), Buffer.concat(parts));
    const clipFrames = await frameHashes(file);
    expect(await frameHashes(join(dir, 'vod.ts'))).toEqual(clipFrames);
    // Another recording's ticket does not open this one.
    const listed = await api().get(`/api/recordings?cameraId=${cameraId}&trigger=manual`).expect(200);
    expect(listed.body.items.map((r: { id: string }) => r.id)).toContain(id);
  });

  it('an alert clip starts >= 10 s before the trigger: its first frame comes from a segment finished before it', async () => {
    const alerts = app.get(AlertRepository);
    const alertId = randomUUID();
    // The trigger, and the segments already finished then.
    await app.get(SegmentRecorder).store.refresh();
    const at = Date.now();
    const before = app.get(SegmentRecorder).store.segments(cameraId).filter((x) => x.endMs <= at).map((x) => ({ ...x }));
    expect(before.length).toBeGreaterThan(3);
    await alerts.insert({ id: alertId, cameraId, level: 'WARNING', condition: 'risk_level', status: 'open', message: 'test', metricsSnapshot: {}, createdAt: new Date(at) });
    expect(alertEvents.listener).not.toBeNull();
    const alert = { id: alertId, cameraId, level: 'WARNING', condition: 'risk_level', status: 'open', message: 'test', metricsSnapshot: {} } as unknown as EngineAlertEvent['alert'];
    alertEvents.listener!({ type: 'opened', at, alert, channels: ['dashboard'], deliveries: [] } as EngineAlertEvent);
    // A CAUTION alert records nothing (RECORDING_ALERT_LEVELS=WARNING,CRITICAL).
    alertEvents.listener!({ type: 'opened', at, alert: { ...alert, id: randomUUID(), level: 'CAUTION' }, channels: ['dashboard'], deliveries: [] } as EngineAlertEvent);
    const clip = await waitFor(async () => {
      const rows = await repo.findByAlert(alertId);
      return rows[0]?.status === 'completed' || rows[0]?.status === 'failed' ? rows[0] : null;
    }, 'the alert clip', 90_000);
    expect(clip.status).toBe('completed');
    expect((await repo.query({ trigger: 'alert' })).total).toBe(1);
    expect(clip.trigger).toBe('alert');
    expect(clip.startTime.getTime()).toBeLessThanOrEqual(at - 9_500);
    expect(clip.endTime!.getTime()).toBeGreaterThanOrEqual(at + 4_000);
    // The finished segments the clip starts in (kept by the buffer while the clip was pending) hold its first frame.
    const around = before.filter((x) => x.endMs > clip.startTime.getTime() - 3_000 && x.startMs < clip.startTime.getTime() + 3_000 && existsSync(x.path));
    const beforeFrames = new Set((await Promise.all(around.map((x) => frameHashes(x.path)))).flat());
    const [first] = await frameHashes(join(config.recordings.dir, clip.filePath), 1);
    expect(beforeFrames.has(first)).toBe(true);
    const p = await probe(join(config.recordings.dir, clip.filePath));
    expect(p.codec).toBe('h264');
    expect(p.duration).toBeGreaterThanOrEqual(14);
  });

  it('killing the camera ffmpeg mid-recording leaves every finished segment playable, and the camera records again', async () => {
    const started = await api().post(`/api/recordings/${cameraId}/start`).send({ durationS: 60 }).expect(201);
    await sleep(5_000);
    const segDir = join(config.recordings.dir, 'segments', cameraId);
    const pids = execFileSync('ps', ['-eo', 'pid=,args=']).toString().split('\n').filter((l) => l.includes(segDir) && l.includes('ffmpeg')).map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(pids.length).toBe(1);
    process.kill(pids[0], 'SIGKILL');
    await app.get(SegmentRecorder).store.refresh();
    // Every segment the killed run listed as finished in the last 20 s (older ones belong to the rolling buffer's pruning).
    const finished = readdirSync(segDir).filter((n) => n.endsWith('.csv')).flatMap((csv) =>
      readFileSync(join(segDir, csv), 'utf8').split('\n').filter(Boolean).map((l) => l.split(',')[0]),
    ).filter((n) => existsSync(join(segDir, n)) && statSync(join(segDir, n)).mtimeMs > Date.now() - 20_000);
    expect(finished.length).toBeGreaterThan(3);
    // Copied at once (the rolling buffer goes on pruning while this slow check runs), then every one is decoded.
    const kept = join(dir, 'after-kill');
    mkdirSync(kept, { recursive: true });
    for (const name of finished) copyFileSync(join(segDir, name), join(kept, name));
    for (const name of finished) {
      const { stderr } = await sh(FFMPEG, ['-v', 'error', '-i', join(kept, name), '-f', 'null', '-']);
      expect(stderr.trim()).toBe('');
      expect((await probe(join(kept, name))).duration).toBeGreaterThan(0.5);
    }
    // The camera comes back (watchdog/backoff) with a new run, and the recording in progress still finishes.
    await waitFor(() => app.get(SegmentRecorder).store.isRecording(cameraId), 'a new ffmpeg run', 30_000);
    // Its GOP (1 s) fits the 1 s live HLS segments: the new run copies.
    expect(app.get(SegmentRecorder).hlsRendition(cameraId)?.kind).toBe('copy');
    await api().post(`/api/recordings/${started.body.recording_id}/stop`).expect(200);
    const done = await waitFor(async () => {
      const r = await repo.findById(started.body.recording_id);
      return r && (r.status === 'completed' || r.status === 'failed') ? r : null;
    }, 'the clip across the crash', 60_000);
    expect(done.status).toBe('completed');
  });

  it.each([
    { why: 'unknown camera', url: () => `/api/recordings/${randomUUID()}/start`, body: {}, status: 404, message: /camera .* not found/ },
    { why: 'stopped camera', url: () => `/api/recordings/${stoppedCameraId}/start`, body: {}, status: 409, message: /not running/ },
    { why: 'duration too short', url: () => `/api/recordings/${cameraId}/start`, body: { durationS: 1 }, status: 400, message: /durationS must be between 5 and 3600/ },
    { why: 'duration too long', url: () => `/api/recordings/${cameraId}/start`, body: { durationS: 99999 }, status: 400, message: /durationS must be between/ },
    { why: 'duration not a number', url: () => `/api/recordings/${cameraId}/start`, body: { durationS: 'abc' }, status: 400, message: /durationS/ },
    { why: 'path trick as camera id', url: () => '/api/recordings/..%2F..%2Fetc/start', body: {}, status: 400, message: /UUID/ },
    { why: 'path trick as recording id (stop)', url: () => '/api/recordings/..%2Fsegments/stop', body: {}, status: 400, message: /UUID/ },
  ])('refuses $why with $status and writes nothing', async ({ url, body, status, message }) => {
    const before = (await repo.query({})).total;
    const clipsBefore = bytesUnder(join(config.recordings.dir, 'clips'));
    const res = await api().post(url()).send(body).expect(status);
    expect(JSON.stringify(res.body.message)).toMatch(message);
    expect((await repo.query({})).total).toBe(before);
    expect(bytesUnder(join(config.recordings.dir, 'clips'))).toBe(clipsBefore);
  });

  it.each(['..%2F..%2Fetc%2Fpasswd/download', '%2E%2E/thumbnail', 'not-a-uuid/video', `${randomUUID()}%00/download`])('GET /api/recordings/%s is refused with 400/404', async (path) => {
    const res = await api().get(`/api/recordings/${path}`);
    expect([400, 404]).toContain(res.status);
    expect(res.headers['content-type']).toMatch(/json/);
  });

  it('retention: the disk rule deletes the oldest unprotected first, keeps protected ones and stops at the floor; age per trigger', async () => {
    const retention = app.get(RetentionServiceToken);
    const done = (await repo.query({ status: 'completed' })).items;
    expect(done.length).toBeGreaterThanOrEqual(2);
    const src = join(config.recordings.dir, done[0].filePath);
    // Five 1-hour-apart clips (copies of a real one), the oldest protected.
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = randomUUID();
      const rel = join('clips', cameraId, `${id}.mp4`);
      copyFileSync(src, join(config.recordings.dir, rel));
      await repo.insert({ id, cameraId, alertId: null, trigger: 'manual', status: 'completed', startTime: new Date(Date.now() - (10 - i) * 3_600_000), filePath: rel, createdBy: null, isProtected: i === 0, sizeBytes: statSync(src).size });
      ids.push(id);
    }
    const size = statSync(src).size;
    // The disk: exactly full enough that freeing ~2 clips reaches the floor.
    const used = bytesUnder(config.recordings.dir);
    const floor = retention.floorBytes();
    disk.total = used + floor - Math.floor(1.5 * size);
    const report = await retention.run();
    expect(report.deletedForDisk).toBe(2);
    const left = new Set((await repo.query({ limit: 200 })).items.map((r) => r.id));
    expect(left.has(ids[0])).toBe(true); // protected, oldest
    expect(left.has(ids[1])).toBe(false);
    expect(left.has(ids[2])).toBe(false);
    expect(left.has(ids[3])).toBe(true);
    expect(existsSync(join(config.recordings.dir, 'clips', cameraId, `${ids[1]}.mp4`))).toBe(false);
    expect((await disk.stat('')).freeBytes).toBeGreaterThanOrEqual(floor);
    expect(report.stillLow).toBe(false);
    // 80 % warning: other files fill the disk to ~90 % while the free space stays over the floor: nothing deleted.
    const usedNow = bytesUnder(config.recordings.dir);
    disk.other = 9 * (floor + usedNow);
    disk.total = disk.other + usedNow + floor + usedNow;
    const warned = await retention.run();
    expect(warned.deletedForDisk + warned.segmentsDeletedForDisk).toBe(0);
    expect(warned.storage.warning).toBe(true);
    expect(warned.storage.usedPercent).toBeGreaterThanOrEqual(80);
    expect(live.storage.at(-1)?.warning).toBe(true);
    disk.other = 0;
    // Age: a 40-day-old manual clip goes (RECORDING_RETENTION_MANUAL_DAYS=30), a 40-day-old alert clip stays (90).
    disk.total = 0;
    const old = randomUUID();
    const oldAlert = randomUUID();
    await repo.insert({ id: old, cameraId, alertId: null, trigger: 'manual', status: 'completed', startTime: new Date(Date.now() - 40 * 86_400_000), filePath: join('clips', cameraId, `${old}.mp4`), createdBy: null, isProtected: false });
    await repo.insert({ id: oldAlert, cameraId, alertId: null, trigger: 'alert', status: 'completed', startTime: new Date(Date.now() - 40 * 86_400_000), filePath: join('clips', cameraId, `${oldAlert}.mp4`), createdBy: null, isProtected: false });
    const r2 = await retention.run();
    expect(r2.deletedByAge).toBeGreaterThanOrEqual(1);
    expect(await repo.findById(old)).toBeNull();
    expect(await repo.findById(oldAlert)).not.toBeNull();
  });

  it('DELETE removes the row and its files; unknown -> 404', async () => {
    const [row] = (await repo.query({ status: 'completed', trigger: 'manual' })).items;
    const file = join(config.recordings.dir, row.filePath);
    expect(existsSync(file)).toBe(true);
    await api().delete(`/api/recordings/${row.id}`).expect(204);
    expect(existsSync(file)).toBe(false);
    await api().delete(`/api/recordings/${row.id}`).expect(404);
    expect(live.recordings.at(-1)).toMatchObject({ recording_id: row.id, status: 'deleted' });
  });

  it('the rolling buffer keeps about RECORDING_BUFFER_S of segments', async () => {
    await service.tick();
    const segs = app.get(SegmentRecorder).store.segments(cameraId);
    const span = (segs[segs.length - 1].endMs - segs[0].startMs) / 1000;
    expect(span).toBeLessThan(30 + 10 + 2 * 2 + 5);
  });
});

const RetentionServiceToken = RecordingsRetentionService;
