import type { CameraStatus, CameraStatusEvent, DetectOptions, Detection, FrameDetections, LiveFrameEvent, MetricsUpdateEvent, RawFrame } from '@crowdsafe/contracts';
import { LiveEventsPublisher } from '@crowdsafe/server-core';
import { CameraRuntime, type CameraRuntimeDeps, type CameraRuntimeOptions } from './camera-runtime';
import type { LiveFrameEncoder } from './live-frame-encoder';

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

/** Person i of a frame: 40x200 px, 60 px apart (640x360 frames), standing still. */
const box = (i: number): Detection => ({ box: { x1: 20 + 60 * i, y1: 100, x2: 60 + 60 * i, y2: 300 }, score: 0.9, classId: 0 });

function harness(opts: { queue?: number; maxAgeMs?: number; people?: (seq: number) => number; manualDetect?: boolean; counting?: CameraRuntimeOptions['counting'] } = {}) {
  let now = 1_000_000;
  const live = new RecordingPublisher();
  const rows: Array<{ time: Date; count: number; countMax: number; metadata: Record<string, unknown> }> = [];
  const saved: Array<[CameraStatus, string | null]> = [];
  const pending: Array<{ frame: RawFrame; resolve: (r: FrameDetections) => void }> = [];
  let handlers!: Parameters<CameraRuntimeDeps['createSource']>[0];
  const result = (frame: RawFrame): FrameDetections => ({
    key: `k${frame.seq}`, cameraId: frame.cameraId, seq: frame.seq, capturedAt: frame.capturedAt,
    detections: Array.from({ length: opts.people?.(frame.seq) ?? 3 }, (_, i) => box(i)),
  });
  const deps: CameraRuntimeDeps = {
    createSource: (h) => {
      handlers = h;
      return { start: () => undefined, stop: async () => undefined, stats: () => ({ framesDecoded: 0, restarts: 0, lastFrameAt: now }) };
    },
    detect: (frame: RawFrame, _o: DetectOptions) =>
      opts.manualDetect ? new Promise((resolve) => pending.push({ frame, resolve })) : Promise.resolve(result(frame)),
    writeMetrics: (row) => rows.push(row),
    saveStatus: (s, r) => saved.push([s, r]),
    live,
    encoder: { encode: async (_f: RawFrame, d: Detection[]) => ({ jpeg: Buffer.from([0xff, 0xd8]), width: 64, height: 36, detections: d }) } as unknown as LiveFrameEncoder,
    now: () => now,
  };
  const runtime = new CameraRuntime(
    { cameraId: 'cam-1', frameQueueSize: opts.queue ?? 30, frameMaxAgeMs: opts.maxAgeMs ?? 3000, detect: {}, counting: opts.counting },
    deps,
  );
  let seq = 0;
  // 640x360 frames; the mock encoder answers 64x36 (a 0.1 downscale) with the detections unchanged.
  const frame = (): RawFrame => ({ cameraId: 'cam-1', seq: seq++, capturedAt: now, width: 640, height: 360, data: new Uint8Array(0) });
  const flush = () => new Promise((r) => setImmediate(r));
  return {
    runtime, live, rows, saved, pending, result,
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

  it('keeps one inference in flight and drops the OLDEST frames when the buffer is full', async () => {
    const h = harness({ queue: 3, manualDetect: true });
    await h.runtime.start();
    for (let i = 0; i < 6; i++) h.push(); // frame 0 goes to inference, 1..5 queue in a buffer of 3
    await h.flush();
    expect(h.pending).toHaveLength(1);
    expect(h.runtime.health().droppedFrames).toBe(2); // frames 1 and 2 dropped
    h.pending[0].resolve(h.result(h.pending[0].frame));
    await h.flush();
    expect(h.pending.map((p) => p.frame.seq)).toEqual([0, 3]); // next processed frame is the oldest kept one
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

  it('encodes and publishes live frames only while someone watches', async () => {
    const h = harness({ people: () => 2 });
    await h.runtime.start();
    h.push();
    await h.flush();
    expect(h.live.frames).toHaveLength(0);
    h.live.watching = true;
    h.push();
    await h.flush();
    await h.flush();
    expect(h.live.frames).toHaveLength(1);
    expect(h.live.frames[0]).toMatchObject({ cameraId: 'cam-1', seq: 1, count: 2, width: 64, height: 36 });
    expect(h.live.frames[0].detections).toHaveLength(2);
    expect(h.live.frames[0].tracks).toEqual([]); // not confirmed yet
    await h.runtime.stop();
  });

  it('live frames carry the confirmed tracks, rescaled like the detections', async () => {
    const h = harness({ people: () => 1 });
    await h.runtime.start();
    for (let i = 0; i < 2; i++) await h.step();
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
});
