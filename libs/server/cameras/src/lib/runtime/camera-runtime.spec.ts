import type { CameraStatus, CameraStatusEvent, DetectOptions, Detection, FrameDetections, LiveFrameEvent, MetricsUpdateEvent, RawFrame } from '@crowdsafe/contracts';
import { LiveEventsPublisher } from '@crowdsafe/server-core';
import { calibrateScale } from '@crowdsafe/analytics';
import { densityModelEstimate } from '@crowdsafe/vision';
import type { CameraMetricsRow } from '@crowdsafe/pipeline';
import { CameraRuntime, type CameraRuntimeDeps, type CameraRuntimeOptions } from './camera-runtime';
import { type LiveFrameEncoder, LiveFrameSink, type LiveOverlay } from './live-frame-encoder';

class RecordingPublisher extends LiveEventsPublisher {
  metrics: MetricsUpdateEvent[] = [];
  statuses: CameraStatusEvent[] = [];
  frames: LiveFrameEvent[] = [];
  watching = false;
  publishMetrics(e: MetricsUpdateEvent) { this.metrics.push(e); }
  publishCameraStatus(e: CameraStatusEvent) { this.statuses.push(e); }
  publishFrame(e: LiveFrameEvent) { this.frames.push(e); }
  wantsFrames() { return this.watching; }
}

class RecordingSink extends LiveFrameSink {
  frames: Array<{ seq: number; capturedAt: number; jpeg: Buffer }> = [];
  watching = false;
  wantsFrames() { return this.watching; }
  publish(_cameraId: string, f: { seq: number; capturedAt: number; jpeg: Buffer }) { this.frames.push(f); }
}

/** Person i of a frame: 40x200 px, 60 px apart (640x360 frames), standing still. */
const box = (i: number): Detection => ({ box: { x1: 20 + 60 * i, y1: 100, x2: 60 + 60 * i, y2: 300 }, score: 0.9, classId: 0 });

/** Fake density-model edge: answer(call) = a head count, 'fail' (rejects) or 'hang' (never settles). */
interface FakeDensity {
  intervalMs: number;
  answer: (call: number) => number | 'fail' | 'hang';
}

function harness(
  opts: {
    queue?: number;
    maxAgeMs?: number;
    people?: (seq: number) => number;
    /** Overrides `people`: the detections of frame `seq`. */
    detections?: (seq: number) => Detection[];
    manualDetect?: boolean;
    counting?: CameraRuntimeOptions['counting'];
    density?: FakeDensity;
    analytics?: CameraRuntimeOptions['analytics'];
    autoCalibration?: boolean;
    risk?: unknown;
    /** A live source (inference takes the newest queued frame). */
    live?: boolean;
    liveFps?: number;
    /** Live encodes stay pending until `encodes[i].done()`. */
    manualEncode?: boolean;
  } = {},
) {
  let now = 1_000_000;
  const live = new RecordingPublisher();
  const rows: Array<Omit<CameraMetricsRow, 'cameraId'>> = [];
  const saved: Array<[CameraStatus, string | null]> = [];
  const pending: Array<{ frame: RawFrame; resolve: (r: FrameDetections) => void }> = [];
  let handlers!: Parameters<CameraRuntimeDeps['createSource']>[0];
  const densityCalls: number[] = []; // seq of the frames the density model ran on
  const warnings: string[] = [];
  const density = opts.density;
  const sink = new RecordingSink();
  const encodes: Array<{ seq: number; clean: boolean; overlay?: LiveOverlay; done: () => void }> = [];
  const result = (frame: RawFrame): FrameDetections => ({
    key: `k${frame.seq}`, cameraId: frame.cameraId, seq: frame.seq, capturedAt: frame.capturedAt,
    detections: opts.detections?.(frame.seq) ?? Array.from({ length: opts.people?.(frame.seq) ?? 3 }, (_, i) => box(i)),
  });
  const deps: CameraRuntimeDeps = {
    createSource: (h) => {
      handlers = h;
      return { start: () => undefined, stop: async () => undefined, stats: () => ({ framesDecoded: 0, restarts: 0, lastFrameAt: now }) };
    },
    detect: (frame: RawFrame, _o: DetectOptions) =>
      opts.manualDetect ? new Promise((resolve) => pending.push({ frame, resolve })) : Promise.resolve(result(frame)),
    metrics: { write: (row) => rows.push(row) },
    saveStatus: (s, r) => saved.push([s, r]),
    ...(density
      ? {
          countDensity: (frame: RawFrame) => {
            const a = density.answer(densityCalls.length);
            densityCalls.push(frame.seq);
            if (a === 'hang') return new Promise<never>(() => undefined);
            if (a === 'fail') return Promise.reject(new Error('FIDT thread crashed'));
            return Promise.resolve({ estimate: densityModelEstimate(a), points: [] });
          },
        }
      : {}),
    warn: (m: string) => warnings.push(m),
    live,
    encoder: {
      // The real encoder's contract: detections rescaled (0.1 here: 640x360 -> 64x36), a clean and/or an annotated JPEG.
      encodeVariants: (f: RawFrame, d: Detection[], want: { clean: boolean; overlay?: LiveOverlay }) =>
        new Promise((resolve) => {
          const done = () =>
            resolve({ width: 64, height: 36, scale: 0.1, detections: d, ...(want.clean ? { jpeg: Buffer.from([0xff, 0xd8]) } : {}), ...(want.overlay ? { annotatedJpeg: Buffer.from([0xff, 0xd9]) } : {}) });
          encodes.push({ seq: f.seq, clean: want.clean, ...(want.overlay ? { overlay: want.overlay } : {}), done });
          if (!opts.manualEncode) done();
        }),
    } as unknown as LiveFrameEncoder,
    frameSink: sink,
    now: () => now,
  };
  const runtime = new CameraRuntime(
    { cameraId: 'cam-1', frameQueueSize: opts.queue ?? 30, frameMaxAgeMs: opts.maxAgeMs ?? 3000, sourceIsLive: opts.live, ...(opts.liveFps ? { liveFps: opts.liveFps } : {}), detect: {}, counting: opts.counting, analytics: opts.analytics, ...(opts.autoCalibration === undefined ? {} : { autoCalibration: opts.autoCalibration }), ...(opts.risk === undefined ? {} : { risk: opts.risk }), ...(density ? { density: { intervalMs: density.intervalMs } } : {}) },
    deps,
  );
  let seq = 0;
  // 640x360 frames; the mock encoder answers 64x36 (a 0.1 downscale) with the detections unchanged.
  const frame = (): RawFrame => ({ cameraId: 'cam-1', seq: seq++, capturedAt: now, width: 640, height: 360, data: new Uint8Array(0) });
  const flush = () => new Promise((r) => setImmediate(r));
  return {
    runtime, live, rows, saved, pending, result, densityCalls, warnings, sink, encodes,
    advance: (ms: number) => (now += ms),
    push: () => handlers.onFrame(frame()),
    /** Frames the source decoded but the runtime never saw (dropped upstream). */
    skip: (n: number) => (seq += n),
    /** Push a frame and let it be processed; `ms` later is the next frame's capture time. */
    step: async (ms = 200) => {
      handlers.onFrame(frame());
      await flush();
      now += ms;
    },
    status: (s: CameraStatus, reason?: string) => handlers.onStatus(s, reason),
    flush,
    tick: () => (runtime as unknown as { tick(n?: number): void }).tick(),
  };
}

describe('CameraRuntime', () => {
  afterEach(() => jest.useRealTimers());

  it('no frames -> no metrics rows or updates, status connecting', async () => {
    const h = harness();
    await h.runtime.start();
    h.advance(5000);
    h.tick();
    expect(h.rows).toEqual([]);
    expect(h.live.metrics).toEqual([]);
    expect(h.live.statuses.map((s) => s.status)).toEqual(['connecting']);
    await h.runtime.stop();
  });

  it.each([
    { name: 'nothing of it in detection: closed at its end', inFlight: false, closedAfterMs: [1005] },
    { name: 'a frame of it still in detection: closed its lateness (1.5 s) after its end', inFlight: true, closedAfterMs: [2505] },
  ])('the first second is published as soon as it can close ($name)', async ({ inFlight, closedAfterMs }) => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const h = harness({ manualDetect: true });
    await h.runtime.start(); // now = 1_000_000: the first second ends 1000 ms later
    h.push();
    await h.flush();
    const first = h.pending.shift();
    first?.resolve(h.result(first.frame)); // the first frame detected at once
    await h.flush();
    if (inFlight) {
      h.advance(500);
      h.push(); // the second frame of that second stays in detection
      await h.flush();
      h.advance(-500);
    }
    const closedAt: number[] = [];
    for (let t = 0; t < 3000 && !closedAt.length; t += 5) {
      h.advance(5);
      jest.advanceTimersByTime(5);
      if (h.live.metrics.length) closedAt.push(t + 5);
    }
    expect(closedAt).toEqual(closedAfterMs);
    expect(h.live.metrics[0].frames).toBe(1);
    await h.runtime.stop();
  });

  it('aggregates the pipeline counts into one row per second and publishes metrics_update with its method', async () => {
    // 2 people always there, 2 more flicker in every other frame (never confirmed by the tracker)
    const h = harness({ people: (seq) => (seq % 2 ? 4 : 2) });
    await h.runtime.start();
    for (let i = 0; i < 5; i++) await h.step(200); // 5 frames in the first second
    h.advance(2000);
    h.tick();
    expect(h.rows).toHaveLength(1);
    // warm-up frames count detections (2, 4), then confirmed tracks (2, 2, 2): mean 2.4 -> 2
    expect(h.rows[0]).toMatchObject({ count: 2, countMax: 4 });
    expect(h.rows[0].metadata).toMatchObject({ countMin: 2, frames: 5, method: 'tracking', low: 2 });
    expect(h.rows[0].time.getTime() % 1000).toBe(0);
    expect(h.live.metrics).toHaveLength(1);
    expect(h.live.metrics[0]).toMatchObject({ cameraId: 'cam-1', count: 2, countMax: 4, frames: 5, countMethod: 'tracking' });
    expect(h.runtime.snapshot().count).toBe(2);
    expect(h.runtime.health().framesProcessed).toBe(5);
    await h.runtime.stop();
  });

  it.each([
    { name: 'no people', people: [0, 0, 0, 0], counts: [0, 0, 0, 0], methods: ['detection', 'detection', 'tracking', 'tracking'] },
    { name: 'three steady people', people: [3, 3, 3, 3], counts: [3, 3, 3, 3], methods: ['detection', 'detection', 'tracking', 'tracking'] },
    { name: 'a one-frame false positive after warm-up', people: [2, 2, 2, 3, 2], counts: [2, 2, 2, 2, 2], methods: ['detection', 'detection', 'tracking', 'tracking', 'tracking'] },
    { name: 'a newcomer counts once confirmed', people: [1, 1, 1, 2, 2, 2], counts: [1, 1, 1, 1, 1, 2], methods: ['detection', 'detection', 'tracking', 'tracking', 'tracking', 'tracking'] },
  ])('per-frame count from the tracker: $name', async ({ people, counts, methods }) => {
    const h = harness({ people: (seq) => people[seq] });
    await h.runtime.start();
    const got: Array<[number | null, string | undefined]> = [];
    for (let i = 0; i < people.length; i++) {
      await h.step();
      got.push([h.runtime.snapshot().count, h.runtime.snapshot().estimate?.method]);
    }
    expect(got).toEqual(counts.map((c, i) => [c, methods[i]]));
    await h.runtime.stop();
  });

  it('frames dropped upstream (a seq gap) keep the tracks and their ids', async () => {
    const h = harness({ people: () => 2 });
    await h.runtime.start();
    for (let i = 0; i < 3; i++) await h.step();
    expect(h.runtime.snapshot().tracks?.map((t) => t.id)).toEqual([1, 2]);
    h.skip(2); // two frames never reached the runtime
    await h.step(600);
    expect(h.runtime.snapshot().tracks?.map((t) => t.id)).toEqual([1, 2]);
    expect(h.runtime.snapshot().estimate?.method).toBe('tracking');
    expect(h.runtime.trackerStats()).toMatchObject({ resets: 0, trackIds: 2 });
    await h.runtime.stop();
  });

  it.each([
    { name: 'the source restarted (status left online)', jump: (h: ReturnType<typeof harness>) => { h.status('connecting', 'stream lost'); h.status('online'); } },
    { name: 'a capture-time gap longer than the tracker keeps lost tracks', jump: (h: ReturnType<typeof harness>) => h.advance(1300) },
  ])('resets the tracker and warms up again when $name', async ({ jump }) => {
    const h = harness({ people: () => 2, counting: { fps: 5 } });
    await h.runtime.start();
    h.status('online');
    for (let i = 0; i < 4; i++) await h.step();
    expect(h.runtime.snapshot().estimate?.method).toBe('tracking');
    jump(h);
    await h.step();
    expect(h.runtime.snapshot().estimate).toEqual({ count: 2, method: 'detection', low: 2, high: 2 });
    expect(h.runtime.trackerStats().resets).toBe(1);
    await h.step();
    await h.step();
    expect(h.runtime.snapshot().tracks?.map((t) => t.id)).toEqual([1, 2]); // ids start again
    await h.runtime.stop();
  });

  it('counts only people whose feet are in the camera ROI', async () => {
    // people at x = 40, 100, 160, 220 (feet); the ROI is the left third of a 640 px frame
    const roi = [[0, 0], [1 / 3, 0], [1 / 3, 1], [0, 1]] as const;
    const h = harness({ people: () => 4, counting: { fps: 5, roi } });
    await h.runtime.start();
    for (let i = 0; i < 3; i++) await h.step();
    expect(h.runtime.snapshot().count).toBe(3); // 220 > 213: the fourth person is outside
    await h.runtime.stop();
  });

  it.each([
    // frame 0 goes to inference, 1..5 queue
    { name: 'file, buffer of 3: the OLDEST frames are dropped, the oldest kept one is next', live: false, queue: 3, droppedWhileBusy: 2, next: 3, dropped: 2 },
    { name: 'file, buffer of 30: nothing dropped, frames in order', live: false, queue: 30, droppedWhileBusy: 0, next: 1, dropped: 0 },
    { name: 'live, buffer of 30: the NEWEST frame is next, the older queued ones are dropped', live: true, queue: 30, droppedWhileBusy: 0, next: 5, dropped: 4 },
    { name: 'live, buffer of 3: overflow and superseded frames are both counted', live: true, queue: 3, droppedWhileBusy: 2, next: 5, dropped: 4 },
  ])('keeps one inference in flight; $name', async ({ live, queue, droppedWhileBusy, next, dropped }) => {
    const h = harness({ queue, live, manualDetect: true });
    await h.runtime.start();
    for (let i = 0; i < 6; i++) h.push();
    await h.flush();
    expect(h.pending).toHaveLength(1);
    expect(h.runtime.health().droppedFrames).toBe(droppedWhileBusy);
    h.pending[0].resolve(h.result(h.pending[0].frame));
    await h.flush();
    expect(h.pending.map((p) => p.frame.seq)).toEqual([0, next]);
    expect(h.runtime.health().droppedFrames).toBe(dropped);
    await h.runtime.stop();
  });

  it('discards frames older than frameMaxAgeMs instead of detecting them late', async () => {
    const h = harness({ maxAgeMs: 1000, manualDetect: true });
    await h.runtime.start();
    h.push();
    h.push();
    h.push();
    await h.flush();
    h.advance(1500); // frames 1 and 2 are now stale
    h.pending[0].resolve(h.result(h.pending[0].frame));
    await h.flush();
    expect(h.pending).toHaveLength(1);
    expect(h.runtime.health().staleFrames).toBe(2);
    await h.runtime.stop();
  });

  it('skips frames whose second is already closed (their count would be late) instead of detecting them', async () => {
    const h = harness({ manualDetect: true }); // frameMaxAgeMs 3000, metrics lateness 1500
    await h.runtime.start();
    h.push();
    h.push();
    h.push();
    await h.flush();
    h.advance(2600); // younger than frameMaxAgeMs, but past the lateness: the tick closes their second
    h.tick();
    h.pending[0].resolve(h.result(h.pending[0].frame));
    await h.flush();
    expect(h.pending).toHaveLength(1);
    expect(h.runtime.health().staleFrames).toBe(2);
    await h.runtime.stop();
  });

  it('waits longer for slow detection round trips instead of losing every second (adaptive lateness)', async () => {
    const h = harness({ manualDetect: true, maxAgeMs: 10_000 }); // lateness floor 1500
    await h.runtime.start();
    // Round trips of 2.5 s: each frame's detections land after a fixed 1.5 s lateness would have closed its second.
    for (let i = 0; i < 6; i++) {
      h.push();
      await h.flush();
      h.advance(2500);
      h.tick(); // a second waiting only the fixed 1.5 s closes here, before its frame's detections land
      h.pending[h.pending.length - 1].resolve(h.result(h.pending[h.pending.length - 1].frame));
      await h.flush();
    }
    h.advance(5000);
    h.tick();
    // The first frame's second closed at the floor (nothing measured yet); every later one waited for its frame.
    expect(h.rows.filter((r) => r.count !== null)).toHaveLength(5);
    await h.runtime.stop();
  });

  it.each([
    { name: 'same status twice', sequence: [['online'], ['online']], expected: ['connecting', 'online'] },
    { name: 'reason change counts', sequence: [['error', 'a'], ['error', 'b']], expected: ['connecting', 'error', 'error'] },
    { name: 'credentials are redacted', sequence: [['error', 'rtsp://admin:pw@cam/x refused']], expected: ['connecting', 'error'] },
  ])('publishes and saves status only on change: $name', async ({ sequence, expected }) => {
    const h = harness();
    await h.runtime.start();
    for (const [s, r] of sequence) h.status(s as CameraStatus, r);
    expect(h.live.statuses.map((e) => e.status)).toEqual(expected);
    expect(h.saved.map(([s]) => s)).toEqual(expected);
    expect(JSON.stringify(h.live.statuses)).not.toContain('pw@');
    await h.runtime.stop();
  });

  it('encodes and publishes live frames only while someone watches, with the latest processed overlay', async () => {
    const h = harness({ people: () => 2 });
    await h.runtime.start();
    await h.step(120);
    expect(h.live.frames).toHaveLength(0);
    expect(h.encodes).toHaveLength(0);
    h.live.watching = true;
    await h.step();
    await h.flush();
    expect(h.live.frames).toHaveLength(1);
    // the picture is frame 1; its overlay is frame 0's (processed before frame 1 arrived), 120 ms older
    expect(h.live.frames[0]).toMatchObject({ cameraId: 'cam-1', seq: 1, count: 2, width: 64, height: 36, overlayAgeMs: 120 });
    expect(h.live.frames[0].overlayCapturedAt).toBe(h.live.frames[0].capturedAt - 120);
    expect(h.live.frames[0].detections).toHaveLength(2);
    expect(h.live.frames[0].tracks).toEqual([]); // not confirmed yet
    expect(h.sink.frames).toHaveLength(0); // no MJPEG viewer: no annotated variant
    await h.runtime.stop();
  });

  it('the live frame does not wait for inference: it is encoded as it arrives, without an overlay before the first result', async () => {
    const h = harness({ people: () => 2, manualDetect: true });
    h.live.watching = true;
    await h.runtime.start();
    h.push();
    await h.flush();
    expect(h.pending).toHaveLength(1); // detection of frame 0 still running
    expect(h.live.frames).toHaveLength(1);
    expect(h.live.frames[0]).toMatchObject({ seq: 0, detections: [], tracks: [], count: 0 });
    expect(h.live.frames[0].overlayAgeMs).toBeUndefined();
    h.pending[0].resolve(h.result(h.pending[0].frame));
    await h.flush();
    h.advance(300);
    h.push();
    await h.flush();
    expect(h.live.frames.map((f) => [f.seq, f.detections.length, f.overlayAgeMs])).toEqual([[0, 0, undefined], [1, 2, 300]]);
    await h.runtime.stop();
  });

  it('a frame arriving while the previous live encode runs is skipped (no backlog)', async () => {
    const h = harness({ manualEncode: true });
    h.live.watching = true;
    await h.runtime.start();
    await h.step(); // encode of frame 0 starts and stays pending
    await h.step(); // frame 1: encoder busy, skipped
    expect(h.encodes.map((e) => e.seq)).toEqual([0]);
    h.encodes[0].done();
    await h.flush();
    await h.step(); // frame 2: encoder free again
    expect(h.encodes.map((e) => e.seq)).toEqual([0, 2]);
    expect(h.live.frames.map((f) => f.seq)).toEqual([0]);
    await h.runtime.stop();
  });

  it.each([
    { name: 'no frames', liveFps: 10, gaps: [], encoded: [] },
    { name: 'frames at the live rate: all encoded', liveFps: 10, gaps: [100, 100, 100], encoded: [0, 1, 2, 3] },
    { name: 'jitter around the live rate costs no frames', liveFps: 10, gaps: [90, 110, 95, 105], encoded: [0, 1, 2, 3, 4] },
    { name: 'a source 4x faster than the live rate: the first frame of credit, then every 4th frame', liveFps: 5, gaps: [50, 50, 50, 50, 50, 50, 50, 50], encoded: [0, 1, 4, 8] },
    { name: 'a burst after a gap: one frame of credit, then the rate holds', liveFps: 10, gaps: [200, 1, 1, 1], encoded: [0, 1, 2] },
  ])('live encodes are rate-limited to liveFps: $name', async ({ liveFps, gaps, encoded }) => {
    const h = harness({ liveFps });
    h.live.watching = true;
    await h.runtime.start();
    if (gaps.length) await h.step(gaps[0]);
    for (let i = 0; i < gaps.length; i++) await h.step(gaps[i + 1] ?? 0);
    expect(h.encodes.map((e) => e.seq)).toEqual(encoded);
    await h.runtime.stop();
  });

  it('one encode serves both transports: clean JPEG to sockets, annotated JPEG (same overlay) to MJPEG viewers', async () => {
    const h = harness({ people: () => 2 });
    await h.runtime.start();
    await h.step();
    h.sink.watching = true;
    await h.step(); // MJPEG only: annotated variant, no socket frame
    h.live.watching = true;
    await h.step(); // both
    await h.flush();
    expect(h.encodes.map((e) => [e.seq, e.clean, e.overlay?.detections.length])).toEqual([[1, false, 2], [2, true, 2]]);
    expect(h.sink.frames.map((f) => f.seq)).toEqual([1, 2]);
    expect(h.live.frames.map((f) => f.seq)).toEqual([2]);
    await h.runtime.stop();
  });

  it('live frames carry the confirmed tracks, rescaled like the detections', async () => {
    const h = harness({ people: () => 1 });
    await h.runtime.start();
    for (let i = 0; i < 3; i++) await h.step(); // the track is confirmed by the third processed frame
    h.live.watching = true;
    await h.step();
    await h.flush();
    expect(h.live.frames).toHaveLength(1);
    const [track] = h.live.frames[0].tracks ?? [];
    expect(track).toMatchObject({ id: 1, timeSinceUpdate: 0 });
    // source box 20,100,60,300 at a 0.1 downscale (Kalman-filtered, so within a pixel)
    expect(track.box.x1).toBeCloseTo(2, 0);
    expect(track.box.y2).toBeCloseTo(30, 0);
    expect(h.runtime.snapshot().tracks?.[0].box.x1).toBeCloseTo(20, 0);
    await h.runtime.stop();
  });

  it('a failing inference is counted and the pipeline keeps going', async () => {
    const h = harness();
    let calls = 0;
    (h.runtime as unknown as { deps: CameraRuntimeDeps }).deps.detect = async (f) => {
      if (calls++ === 0) throw new Error('worker gone');
      return h.result(f);
    };
    await h.runtime.start();
    h.push();
    await h.flush();
    h.push();
    await h.flush();
    expect(h.runtime.errors).toMatchObject({ inferenceErrors: 1, lastError: 'worker gone' });
    expect(h.runtime.health().framesProcessed).toBe(1);
    await h.runtime.stop();
  });

  it('stop() flushes the open second and reports offline', async () => {
    const h = harness();
    await h.runtime.start();
    h.status('online');
    h.push();
    await h.flush();
    await h.runtime.stop();
    expect(h.rows).toHaveLength(1);
    expect(h.live.statuses.at(-1)).toMatchObject({ status: 'offline', reason: 'stopped' });
  });

  describe('density model beside the tracker', () => {
    // 3 people tracked; frames every 200 ms; warm-up = 2 frames of 'detection' before 'tracking'.
    const D = 'detection', T = 'tracking', F = 'fused';
    it.each([
      {
        name: 'runs once per interval, not more; fused from the frame after the first result',
        density: { intervalMs: 1000, answer: () => 20 },
        frames: 12, calls: [0, 5, 10],
        methods: [D, F, F, F, F, F, F, F, F, F, F, F], counts: [3, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20],
      },
      {
        name: 'never more than one run in flight (a run that never returns blocks later runs, not counting)',
        density: { intervalMs: 250, answer: () => 'hang' as const },
        frames: 8, calls: [0],
        methods: [D, D, T, T, T, T, T, T], counts: [3, 3, 3, 3, 3, 3, 3, 3],
      },
      {
        name: 'a stale estimate (older than 3 x interval) is not used',
        density: { intervalMs: 1000, answer: (call: number) => (call === 0 ? 20 : ('fail' as const)) },
        frames: 18, calls: [0, 5, 10, 15],
        methods: [D, F, F, F, F, F, F, F, F, F, F, F, F, F, F, T, T, T], counts: [3, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 3, 3, 3],
      },
      {
        name: 'failures do not break counting',
        density: { intervalMs: 1000, answer: () => 'fail' as const },
        frames: 8, calls: [0, 5],
        methods: [D, D, T, T, T, T, T, T], counts: [3, 3, 3, 3, 3, 3, 3, 3],
      },
      {
        name: 'a sparse crowd the detector sees fully keeps the tracked count, labelled fused',
        density: { intervalMs: 1000, answer: () => 3 },
        frames: 4, calls: [0],
        methods: [D, F, F, F], counts: [3, 3, 3, 3],
      },
    ])('$name', async ({ density, frames, calls, methods, counts }) => {
      const h = harness({ people: () => 3, density });
      await h.runtime.start();
      const got: Array<[number | null, string | undefined]> = [];
      for (let i = 0; i < frames; i++) {
        await h.step(200);
        got.push([h.runtime.snapshot().count, h.runtime.snapshot().estimate?.method]);
      }
      expect(h.densityCalls).toEqual(calls);
      expect(got).toEqual(counts.map((c, i) => [c, methods[i]]));
      expect(h.runtime.health().framesProcessed).toBe(frames);
      await h.runtime.stop();
    });

    it('fused seconds carry method, range and densityCount in the row and countMethod in metrics_update', async () => {
      const h = harness({ people: () => 3, density: { intervalMs: 1000, answer: () => 80 } });
      await h.runtime.start();
      for (let i = 0; i < 10; i++) await h.step(200);
      h.advance(2000);
      h.tick();
      const last = h.rows[h.rows.length - 1];
      // densityCount is the model's raw count; the fused count carries the dense-scene correction (80 -> 88).
      expect(last.metadata).toMatchObject({ method: 'fused', densityCount: 80 });
      expect(last.count).toBe(88);
      expect(last.metadata['high']).toBeGreaterThanOrEqual(88);
      expect(h.live.metrics[h.live.metrics.length - 1].countMethod).toBe('fused');
      expect(h.runtime.snapshot().estimate).toMatchObject({ method: 'fused', count: 88 });
      await h.runtime.stop();
    });

    it('failures are counted and warned about at most once a minute', async () => {
      const h = harness({ people: () => 3, density: { intervalMs: 250, answer: () => 'fail' } });
      await h.runtime.start();
      for (let i = 0; i < 20; i++) await h.step(300);
      expect(h.runtime.densityStats()).toMatchObject({ runs: 0, errors: 20, latest: null });
      expect(h.warnings).toHaveLength(1);
      expect(h.warnings[0]).toContain('FIDT thread crashed');
      h.advance(60_000);
      await h.step(300);
      expect(h.warnings).toHaveLength(2);
      await h.runtime.stop();
    });

    it('without a density model nothing changes', async () => {
      const h = harness({ people: () => 3 });
      await h.runtime.start();
      for (let i = 0; i < 4; i++) await h.step(200);
      expect(h.runtime.snapshot().estimate?.method).toBe('tracking');
      expect(h.runtime.densityStats()).toEqual({ runs: 0, errors: 0, latest: null });
      await h.runtime.stop();
    });
  });
});

describe('CameraRuntime crowd analytics in real units', () => {
  // Synthetic scale calibration of the 640x360 test frames: 100 px = 1 m, the whole frame is the floor
  // (6.4 m x 3.6 m = 23.04 m²). A counting line down the middle (x = 320 px), 3.6 m wide; walking right = in.
  const FRAME = { width: 640, height: 360 };
  const SCALE = { frame: FRAME, scale: { a: [0, 0], b: [100, 0], distanceM: 1 } };
  const LINE = { id: 'mid', name: 'Middle', a: [320, 5], b: [320, 355], inDirection: 'left', widthM: 3.6 };
  const FLOOR_M2 = 23.04;

  const FPS = 10;
  const COUNTING = { fps: FPS };
  /** n people 60x100 px in rows 115 px apart, feet starting at x = startX, moving `pxPerFrame` per frame. */
  const walkers = (n: number, startX: number, pxPerFrame: number) => (seq: number): Detection[] =>
    Array.from({ length: n }, (_, i) => {
      const x = startX + pxPerFrame * seq;
      const foot = 120 + 115 * i;
      return { box: { x1: x - 30, y1: foot - 100, x2: x + 30, y2: foot }, score: 0.9, classId: 0 };
    });

  async function runWalk(h: ReturnType<typeof harness>, frames: number) {
    await h.runtime.start();
    for (let i = 0; i < frames; i++) await h.step(1000 / FPS);
    h.advance(3000);
    h.tick();
  }

  it.each([
    { name: '3 people walking right at 1.0 m/s', n: 3, startX: 130, speed: 1.0, dir: 1, flowIn: 3, flowOut: 0 },
    { name: '2 people walking left at 1.2 m/s', n: 2, startX: 600, speed: 1.2, dir: -1, flowIn: 0, flowOut: 2 },
    { name: '1 person walking right at 0.5 m/s', n: 1, startX: 250, speed: 0.5, dir: 1, flowIn: 1, flowOut: 0 },
  ])('$name: the rows carry density, velocity and flow in real units', async ({ n, startX, speed, dir, flowIn, flowOut }) => {
    const pxPerFrame = (dir * speed * 100) / FPS; // 100 px/m
    const h = harness({ counting: COUNTING, detections: walkers(n, startX, pxPerFrame), analytics: { calibrationData: SCALE, lines: [LINE], zones: [], capacity: 20 } });
    await runWalk(h, 40);
    expect(h.runtime.analyticsStatus()).toEqual({ state: 'on' });
    expect(h.rows.length).toBeGreaterThanOrEqual(4);
    // Once every track is confirmed (second row on), density = n / 23.04 m².
    for (const r of h.rows.slice(1)) expect(r.density).toBeCloseTo(n / FLOOR_M2, 2);
    const speeds = h.rows.map((r) => r.velocity).filter((v): v is number => typeof v === 'number');
    expect(speeds.length).toBeGreaterThanOrEqual(2);
    for (const v of speeds.slice(1)) expect(Math.abs(v - speed)).toBeLessThan(0.1 * speed + 0.05);
    expect(h.rows.reduce((s, r) => s + (r.flowIn ?? 0), 0)).toBe(flowIn);
    expect(h.rows.reduce((s, r) => s + (r.flowOut ?? 0), 0)).toBe(flowOut);
    for (const r of h.rows) {
      expect(r.surge === null || Number.isFinite(r.surge)).toBe(true);
      expect(r.metadata['analytics']).toMatchObject({ status: 'on', calibration: 'scale', approximate: true, lines: [{ id: 'mid' }] });
    }
    const ev = h.live.metrics[h.live.metrics.length - 1];
    expect(ev.analytics).toMatchObject({ status: 'on', calibration: 'scale', lines: [{ id: 'mid', inTotal: flowIn, outTotal: flowOut }] });
    expect(ev.analytics?.density).toBeCloseTo(n / FLOOR_M2, 2);
    expect(h.warnings.some((w) => w.includes('analytics off'))).toBe(false);
    await h.runtime.stop();
  });

  it('per-zone density, utilisation and levels go into metadata and the event', async () => {
    const zone = { id: 'left', name: 'Left half', polygon: [[0, 0], [320, 0], [320, 360], [0, 360]], capacity: 10 };
    const h = harness({ people: () => 3, analytics: { calibrationData: SCALE, zones: [zone] } }); // 3 standing people, feet at x 40..160
    await runWalk(h, 10);
    const last = h.live.metrics[h.live.metrics.length - 1].analytics;
    expect(last?.zones).toEqual([expect.objectContaining({ id: 'left', count: 3, density: expect.closeTo(3 / 11.52, 3), utilisation: 0.3, losWalkway: expect.any(String), stillBand: 'SAFE' })]);
    expect(last?.flowIn).toBe(0);
    expect(h.rows[h.rows.length - 1].flowIn).toBeNull(); // no counting line: no flow column
    expect(h.rows[h.rows.length - 1].metadata['analytics']).toMatchObject({ zones: [{ id: 'left', count: 3 }] });
    await h.runtime.stop();
  });

  it.each([
    { name: 'a zero-length scale reference', analytics: { calibrationData: { frame: FRAME, scale: { a: [10, 10], b: [10, 10], distanceM: 1 } } }, field: 'calibrationData.b' },
    { name: 'a calibration of unknown form', analytics: { calibrationData: { frame: FRAME, foo: 1 } }, field: 'calibrationData' },
    { name: 'too few homography points', analytics: { calibrationData: { frame: FRAME, points: [{ image: [0, 0], world: [0, 0] }] } }, field: 'calibrationData' },
    { name: 'a counting line outside the frame', analytics: { calibrationData: SCALE, lines: [{ ...LINE, b: [320, 900] }] }, field: 'settings.analytics.lines[mid]' },
    { name: 'a self-intersecting zone', analytics: { calibrationData: SCALE, zones: [{ id: 'z', name: 'Z', polygon: [[0, 0], [100, 100], [100, 0], [0, 100]] }] }, field: 'zones[z]' },
    { name: 'zones that are not an array', analytics: { calibrationData: SCALE, zones: { a: 1 } }, field: 'zones' },
  ])('invalid analytics setup ($name): counting goes on, analytics off with a reason naming $field', async ({ analytics, field }) => {
    const h = harness({ people: () => 3, analytics });
    await runWalk(h, 10);
    const status = h.runtime.analyticsStatus();
    expect(status.state).toBe('off');
    expect(status.reason).toContain(field);
    expect(h.warnings.filter((w) => w.includes('analytics off'))).toHaveLength(1);
    expect(h.warnings[0]).toContain(field);
    expect(h.runtime.snapshot().count).toBe(3);
    expect(h.rows.length).toBeGreaterThan(0);
    for (const r of h.rows) {
      expect(r).toMatchObject({ density: null, velocity: null, surge: null, flowIn: null, flowOut: null });
      expect(r.metadata['analytics']).toMatchObject({ status: 'off', reason: expect.stringContaining(field) });
    }
    expect(h.rows[h.rows.length - 1].count).toBe(3);
    const ev = h.live.metrics[h.live.metrics.length - 1];
    expect(ev.count).toBe(3);
    expect(ev.analytics).toMatchObject({ status: 'off', reason: expect.stringContaining(field), density: null, velocity: null });
    await h.runtime.stop();
  });

  it.each([
    { name: 'no analytics input', analytics: undefined },
    { name: 'calibrationData null', analytics: { calibrationData: null, zones: [], capacity: 100 } },
    { name: 'calibrationData {}', analytics: { calibrationData: {} } },
  ])('no calibration ($name): counting only, analytics null in the event', async ({ analytics }) => {
    const h = harness({ people: () => 2, analytics });
    await runWalk(h, 10);
    expect(h.runtime.analyticsStatus().state).toBe('uncalibrated');
    expect(h.live.metrics.length).toBeGreaterThan(0);
    for (const e of h.live.metrics) expect(e.analytics).toBeNull();
    for (const r of h.rows) {
      expect(r).toMatchObject({ density: null, velocity: null, flowIn: null });
      expect(r.metadata['analytics']).toMatchObject({ status: 'uncalibrated' });
    }
    expect(h.rows[h.rows.length - 1].count).toBe(2);
    expect(h.warnings).toEqual([]);
    await h.runtime.stop();
  });

  it('a stored Calibration (lib output) is accepted as is, and boxes are rescaled from the decoded frame size', async () => {
    // Calibrated on a 1280x720 image (200 px = 1 m there): the 640x360 decoded frames are half size -> 100 px/m here.
    const cal = calibrateScale({ frame: { width: 1280, height: 720 }, a: [0, 0], b: [200, 0], distanceM: 1 });
    if (!cal.ok) throw new Error('calibration');
    const line = { ...LINE, a: [640, 10], b: [640, 710] };
    const h = harness({ counting: COUNTING, detections: walkers(2, 130, 10), analytics: { calibrationData: JSON.parse(JSON.stringify(cal.value)), lines: [line] } });
    await runWalk(h, 40);
    expect(h.runtime.analyticsStatus()).toEqual({ state: 'on' });
    const speeds = h.rows.map((r) => r.velocity).filter((v): v is number => typeof v === 'number');
    expect(speeds[speeds.length - 1]).toBeCloseTo(1.0, 1);
    expect(h.rows.reduce((s, r) => s + (r.flowIn ?? 0), 0)).toBe(2);
    await h.runtime.stop();
  });

  it('tracker resets do not re-count crossings (ids restart at 1 but stay distinct for the analyzer)', async () => {
    const h = harness({ counting: COUNTING, detections: walkers(1, 130, 10), analytics: { calibrationData: SCALE, lines: [LINE] } });
    await h.runtime.start();
    for (let i = 0; i < 40; i++) await h.step(100); // crosses once, ends at x = 520
    h.status('connecting', 'reconnect');
    h.status('online');
    h.skip(-40); // the stream restarts: seq goes back, the person appears again on the left (x = 130)
    for (let i = 0; i < 10; i++) await h.step(100);
    h.advance(3000);
    h.tick();
    expect(h.runtime.trackerStats().resets).toBeGreaterThanOrEqual(1);
    expect(h.rows.reduce((s, r) => s + (r.flowIn ?? 0) + (r.flowOut ?? 0), 0)).toBe(1);
    await h.runtime.stop();
  });
});

describe('CameraRuntime risk per second', () => {
  // Synthetic scale calibration of the 640x360 frames at 1000 px = 1 m: the floor is 0.64 m x 0.36 m = 0.2304 m², so
  // each standing person adds ~4.34 p/m² (a dense crowd with a handful of boxes).
  const DENSE = { calibrationData: { frame: { width: 640, height: 360 }, scale: { a: [0, 0], b: [100, 0], distanceM: 0.1 } } };
  const FPS = 5;

  /** Runs `seconds` seconds of standing people, `people(second)` of them, closing each second as it ends. */
  async function runSeconds(h: ReturnType<typeof harness>, seconds: number) {
    await h.runtime.start();
    for (let s = 0; s < seconds; s++) {
      for (let i = 0; i < FPS; i++) await h.step(1000 / FPS);
      h.tick();
    }
    h.advance(3000);
    h.tick();
  }

  const LEVELS = ['SAFE', 'CAUTION', 'WARNING', 'CRITICAL'];
  const bandOf = (score: number) => (score >= 75 ? 3 : score >= 50 ? 2 : score >= 25 ? 1 : 0);

  it.each([
    { name: 'a crowd building up 1 -> 2 -> 3 people', perSecond: [1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3] },
    { name: 'a crowd building up 1 -> 3 people', perSecond: [1, 1, 1, 1, 3, 3, 3, 3, 3, 3] },
  ])('$name: rising density gives a rising score, the level rises only after the dwell', async ({ perSecond }) => {
    const h = harness({ counting: { fps: FPS }, people: (seq) => perSecond[Math.min(perSecond.length - 1, Math.floor(seq / FPS))], analytics: DENSE });
    await runSeconds(h, perSecond.length);
    expect(h.rows.length).toBeGreaterThanOrEqual(perSecond.length - 1);
    const scores = h.rows.map((r) => r.riskScore as number);
    const levels = h.rows.map((r) => LEVELS.indexOf(r.riskLevel as string));
    for (const s of scores) expect(s).toEqual(expect.any(Number));
    for (const l of levels) expect(l).toBeGreaterThanOrEqual(0);
    // While the density rises the score rises with it.
    const rising = h.rows.findIndex((r, i) => i > 0 && (r.density as number) < (h.rows[i - 1].density as number));
    const upTo = rising < 0 ? h.rows.length : rising;
    for (let i = 1; i < upTo; i++) if ((h.rows[i].density as number) > (h.rows[i - 1].density as number)) expect(scores[i]).toBeGreaterThan(scores[i - 1]);
    expect(Math.max(...scores)).toBeGreaterThan(scores[0]);
    // The first seconds already score CAUTION or more, but the level waits for the 2 s dwell (3 samples at 1 Hz).
    expect(bandOf(scores[0])).toBeGreaterThanOrEqual(1);
    expect(levels.slice(0, 2)).toEqual([0, 0]);
    for (let i = 1; i < levels.length; i++) {
      if (levels[i] > levels[i - 1]) for (let j = Math.max(0, i - 2); j <= i; j++) expect(bandOf(scores[j])).toBeGreaterThanOrEqual(levels[i]);
      if (levels[i] > levels[i - 1]) expect(i).toBeGreaterThanOrEqual(2);
    }
    expect(levels[levels.length - 1]).toBeGreaterThan(0);
    // metrics_update carries the same score and tracked level, with its components and (with history) a forecast.
    const last = h.live.metrics[h.live.metrics.length - 1];
    const row = h.rows[h.rows.length - 1];
    expect(last.risk).toMatchObject({ score: row.riskScore, level: row.riskLevel, partial: expect.any(Boolean) });
    expect(last.risk?.components.map((c) => c.term)).toEqual(['density', 'surge', 'velocity']);
    expect(last.risk?.components.reduce((a, c) => a + c.points, 0)).toBeCloseTo(row.riskScore as number, 1);
    expect(last.risk?.forecast).toEqual({ in120s: expect.any(Number), in300s: expect.any(Number), interval120s: [expect.any(Number), expect.any(Number)], interval300s: [expect.any(Number), expect.any(Number)] });
    const [lo, hi] = last.risk?.forecast?.interval300s ?? [NaN, NaN];
    expect(lo).toBeLessThanOrEqual(last.risk?.forecast?.in300s ?? NaN);
    expect(hi).toBeGreaterThanOrEqual(last.risk?.forecast?.in300s ?? NaN);
    // A steep synthetic build-up extrapolates beyond what a crowd can reach: forecasts are capped at 10 p/m².
    expect(last.risk?.forecast?.in300s).toBeLessThanOrEqual(10);
    expect(last.risk?.forecast?.in300s).toBeGreaterThan(0);
    expect(row.metadata['risk']).toMatchObject({ status: 'on' });
    await h.runtime.stop();
  });

  it.each([
    { name: 'uncalibrated', analytics: undefined, reason: 'no density' },
    { name: 'invalid calibration (analytics off)', analytics: { calibrationData: { frame: { width: 640, height: 360 }, foo: 1 } }, reason: 'crowd analytics off' },
  ])('$name camera: risk null in the event, null risk columns, the reason in metadata', async ({ analytics, reason }) => {
    const h = harness({ counting: { fps: FPS }, people: () => 3, analytics });
    await runSeconds(h, 4);
    expect(h.rows.length).toBeGreaterThan(0);
    for (const r of h.rows) {
      expect(r).toMatchObject({ riskScore: null, riskLevel: null });
      expect(r.metadata['risk']).toEqual({ status: 'unavailable', reason: expect.stringContaining(reason) });
    }
    for (const e of h.live.metrics) expect(e.risk).toBeNull();
    await h.runtime.stop();
  });

  it('an invalid settings.risk falls back to the defaults with a warning naming the field', async () => {
    const risk = { defaults: { weights: { density: 0.5, surge: 0.3, velocity: 0.3, pressure: 0, counterFlow: 0 } } };
    const h = harness({ counting: { fps: FPS }, people: () => 2, analytics: DENSE, risk });
    await runSeconds(h, 3);
    expect(h.warnings.filter((w) => w.includes('settings.risk'))).toEqual([expect.stringContaining('defaults.weights')]);
    expect(h.rows[h.rows.length - 1].riskScore).toEqual(expect.any(Number));
    await h.runtime.stop();
  });

  it('a valid settings.risk is used (raised thresholds keep the level SAFE)', async () => {
    const risk = { defaults: { thresholds: { caution: 97, warning: 98, critical: 99 } } };
    const h = harness({ counting: { fps: FPS }, people: () => 2, analytics: DENSE, risk });
    await runSeconds(h, 6);
    expect(h.warnings.some((w) => w.includes('settings.risk'))).toBe(false);
    for (const r of h.rows) expect(r.riskLevel).toBe('SAFE');
    await h.runtime.stop();
  });
});

describe('CameraRuntime: movement direction and zero-configuration calibration (issue 13)', () => {
  const FPS = 5;
  /**
   * 10 people on rows 100..325 of a 640x360 frame seen in perspective (box height 0.4 x (foot row + 100) px: 80 to
   * 170 px), each moving (dx, dy) px per frame.
   */
  const crowd = (dx: number, dy: number) => (seq: number): Detection[] =>
    Array.from({ length: 10 }, (_, i) => {
      const foot = 100 + 25 * i + dy * seq;
      const h = 0.4 * (foot + 100);
      const x = 30 + 60 * i + dx * seq;
      return { box: { x1: x - h / 6, y1: foot - h, x2: x + h / 6, y2: foot }, score: 0.9, classId: 0 };
    });
  async function run(h: ReturnType<typeof harness>, frames: number) {
    await h.runtime.start();
    for (let i = 0; i < frames; i++) await h.step(1000 / FPS);
    h.advance(3000);
    h.tick();
    await h.runtime.stop();
  }

  it.each([
    { name: 'standing still: no heading', dx: 0, dy: 0, heading: null, compass: null },
    { name: 'walking right', dx: 12, dy: 0, heading: 90, compass: 'E' },
    { name: 'walking left', dx: -12, dy: 0, heading: 270, compass: 'W' },
    { name: 'walking up the picture', dx: 0, dy: -3, heading: 0, compass: 'N' },
  ])('$name: heading column, metadata.movement and metrics_update.movement', async ({ dx, dy, heading, compass }) => {
    const h = harness({ counting: { fps: FPS }, detections: crowd(dx, dy), autoCalibration: false });
    await run(h, 20);
    const settled = h.rows.slice(1); // tracks confirmed and their velocities settled
    expect(settled.length).toBeGreaterThanOrEqual(2);
    for (const r of settled) {
      if (heading === null) expect(r.heading).toBeNull();
      else expect(Math.abs((((r.heading ?? NaN) - heading + 540) % 360) - 180)).toBeLessThan(5);
      expect(r.metadata['movement']).toMatchObject({ compass });
    }
    const ev = h.live.metrics[h.live.metrics.length - 1];
    expect(ev.movement?.compass).toBe(compass);
  });

  it.each([
    { name: 'uncalibrated, auto on: density in real units flagged approximate', analytics: undefined, auto: undefined, source: 'approximate' },
    { name: 'uncalibrated, auto off: counting only', analytics: undefined, auto: false, source: null },
    {
      name: "the operator's calibration wins: flagged calibrated",
      analytics: { calibrationData: { frame: { width: 640, height: 360 }, scale: { a: [0, 0], b: [100, 0], distanceM: 1 } } },
      auto: undefined,
      source: 'calibrated',
    },
  ])('$name', async ({ analytics, auto, source }) => {
    const h = harness({ counting: { fps: FPS }, detections: crowd(6, 0), analytics, ...(auto === undefined ? {} : { autoCalibration: auto }) });
    await run(h, 40);
    const ev = h.live.metrics[h.live.metrics.length - 1];
    const last = h.rows[h.rows.length - 1];
    if (source === null) {
      expect(ev.analytics).toBeNull();
      expect(last.density).toBeNull();
      expect(last.metadata['analytics']).toMatchObject({ status: 'uncalibrated' });
      return;
    }
    expect(ev.analytics).toMatchObject({ status: 'on', approximate: true, calibrationSource: source });
    expect(last.metadata['analytics']).toMatchObject({ status: 'on', calibrationSource: source });
    expect(last.density).toBeGreaterThan(0);
    expect(last.velocity).toBeGreaterThan(0);
    if (source === 'approximate') {
      // Before enough people were seen (150 samples over 3 bands), no real units.
      expect(h.rows[0].density).toBeNull();
      expect(h.warnings.some((w) => w.includes('automatic: scale from'))).toBe(true);
    }
  });
});
