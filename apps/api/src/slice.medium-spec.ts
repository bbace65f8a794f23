// The whole slice in its distributed form: the api (PostgreSQL + BullMQ) and a SEPARATE worker process running
// onnxruntime-node, on the real sample video. A socket.io client sees live counts and annotated frames; the
// per-second rows land in PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { io, type Socket } from 'socket.io-client';
import type { LiveFrameEvent, MetricsUpdateEvent } from '@crowdsafe/contracts';
import {
  HALL_VIDEO, MODEL, PG, REDIS_URL, createDatabase, dropDatabase, freePort, pgUrl, runTs, waitUntil, type RunningProcess,
} from './testing/processes.test-util';
import { authHeaders, loginAs, TEST_AUTH_ENV } from './testing/auth.test-util';

jest.setTimeout(180_000);

describe('slice: file camera -> BullMQ -> worker (ONNX) -> PostgreSQL + WebSocket', () => {
  const db = `cs_slice_${process.pid}_${Date.now()}`;
  const prefix = `cs-test-slice-${process.pid}-${Date.now()}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'cs-slice-'));
  let worker: RunningProcess;
  let api: RunningProcess;
  let socket: Socket | undefined;
  let base = '';
  let token = '';
  /** Authenticated GET (the one place auth is added). */
  const get = (path: string) => fetch(`${base}${path}`, { headers: authHeaders(token) });

  beforeAll(async () => {
    await createDatabase(db);
    const common = { REDIS_URL, QUEUE_PREFIX: prefix, MODEL_PATH: MODEL, LOG_LEVEL: 'info', DETECT_CONFIDENCE: '0.25' };
    worker = runTs('apps/worker/src/main.ts', common);
    await worker.waitFor(/worker ready/i, 90_000);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = runTs('apps/api/src/main.ts', {
      ...common,
      ...TEST_AUTH_ENV,
      DATABASE_URL: pgUrl(db),
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SAMPLE_VIDEO: HALL_VIDEO,
      WEB_DIST: '',
      METRICS_FLUSH_INTERVAL_MS: '500',
      INFERENCE_MAX_IN_FLIGHT: '2',
    });
    await api.waitFor(/CrowdSafe is running/, 90_000);
    token = await loginAs(base);
  });

  afterAll(async () => {
    socket?.disconnect();
    await api?.stop();
    await worker?.stop();
    await dropDatabase(db);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports the distributed mode in /api/health', async () => {
    const health = (await (await fetch(`${base}/api/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', embedded: false, database: 'postgres', queue: 'bullmq', cameras: 1 });
  });

  it('serves the OpenAPI spec at /api/docs-json and Swagger UI at /api/docs', async () => {
    const spec = (await (await fetch(`${base}/api/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/cameras', '/api/cameras/{id}', '/api/health', '/api/metrics/{cameraId}/current']));
    const ui = await fetch(`${base}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('streams live counts and annotated frames, and stores per-second metrics in PostgreSQL', async () => {
    const cameras = (await (await get('/api/cameras')).json()) as Array<{ id: string; name: string; sourceType: string }>;
    expect(cameras).toHaveLength(1);
    expect(cameras[0]).toMatchObject({ name: 'Sample camera', sourceType: 'file' });
    // Source URLs are returned redacted (credentials never leave the server).
    expect(JSON.stringify(cameras)).not.toMatch(/:\/\/[^/"]*:[^@"]*@/);
    const cameraId = cameras[0].id;

    socket = io(`${base}/live`, { transports: ['websocket'], reconnection: false, auth: { token } });
    const updates: MetricsUpdateEvent[] = [];
    const frames: LiveFrameEvent[] = [];
    socket.on('metrics_update', (e: MetricsUpdateEvent) => updates.push(e));
    socket.on('frame', (e: LiveFrameEvent) => frames.push(e));
    const client = socket;
    await new Promise<void>((res, rej) => {
      client.on('connect', () => res());
      client.on('connect_error', rej);
    });
    await expect(socket.emitWithAck('subscribe', { cameraId })).resolves.toEqual({ ok: true });
    await expect(socket.emitWithAck('watch_frames', { cameraId, enabled: true })).resolves.toEqual({ ok: true });
    await expect(socket.emitWithAck('subscribe', { cameraId: '../etc' })).resolves.toMatchObject({ ok: false });

    // Counting switches from raw detections to confirmed BoT-SORT tracks once the tracker has warmed up.
    await waitUntil(() => (updates.length >= 3 && frames.length >= 3 && updates.at(-1)?.countMethod === 'tracking' ? true : undefined), 90_000, '3 metrics updates and 3 frames, counted by tracking');
    for (const u of updates) {
      expect(u.cameraId).toBe(cameraId);
      expect(['detection', 'tracking']).toContain(u.countMethod);
      expect(u.health.status).toBe('online');
    }
    // The hall video shows ~20 people; YOLO11n at conf 0.25 finds 16-26 per frame.
    expect(Math.max(...updates.map((u) => u.count))).toBeGreaterThanOrEqual(8);
    // Live frames are encoded as they are decoded (before detection); each carries the latest processed frame's
    // overlay and its capture time (boxes are left out once the overlay is older than FRAME_MAX_AGE_MS).
    for (const fr of frames) {
      expect(Buffer.from(fr.jpeg as ArrayBuffer).subarray(0, 2).toString('hex')).toBe('ffd8');
      if (fr.overlayCapturedAt === undefined) continue;
      expect(fr.overlayAgeMs).toBe(fr.capturedAt - fr.overlayCapturedAt);
      expect(fr.overlayAgeMs).toBeGreaterThanOrEqual(0);
    }
    const f = await waitUntil(() => frames.filter((fr) => fr.detections.length > 0).at(-1), 30_000, 'a live frame with an overlay');
    // No ROI on the sample camera. Warming up, the count is the frame's detections; after, it is the confirmed tracks
    // of the overlay's frame, each drawn: matched to this frame's detections or to people a slice found on an earlier
    // frame and carried until it is examined again (SliceCarry), so it may exceed this frame's own detections.
    if (f.tracks?.length) {
      expect(f.tracks).toHaveLength(f.count);
      for (const t of f.tracks) expect(t.id).toBeGreaterThanOrEqual(1);
    } else {
      expect(f.count).toBeLessThanOrEqual(f.detections.length);
    }
    for (const d of f.detections) {
      expect(d.box.x1).toBeGreaterThanOrEqual(0);
      expect(d.box.x2).toBeLessThanOrEqual(f.width);
      expect(d.box.y2).toBeLessThanOrEqual(f.height);
    }

    const pg = new Client({ ...PG, database: db });
    await pg.connect();
    try {
      const rows = await waitUntil(async () => {
        const r = await pg.query('SELECT time, count, density, risk_level FROM metrics WHERE camera_id = $1 ORDER BY time', [cameraId]);
        return r.rowCount && r.rowCount >= 2 ? r.rows : undefined;
      }, 30_000, 'metrics rows');
      // One row per camera per second: times are whole, distinct seconds.
      const times = rows.map((r: { time: Date }) => r.time.getTime());
      expect(new Set(times).size).toBe(times.length);
      for (const t of times) expect(t % 1000).toBe(0);
      expect(Math.max(...rows.map((r: { count: number }) => r.count))).toBeGreaterThan(0);
      // The sample camera carries the hall layout (SAMPLE_CAMERA_LAYOUT): real-unit density and a risk level per second.
      const calibrated = rows.filter((r: { density: number | null; risk_level: string | null }) => r.density !== null && r.risk_level !== null);
      expect(calibrated.length).toBeGreaterThan(0);
      const current = (await (await get(`/api/metrics/${cameraId}/current`)).json()) as { count: number; cameraId: string };
      expect(current.cameraId).toBe(cameraId);
    } finally {
      await pg.end();
    }
  });

  it('keeps the model out of the api process: inference happened in the worker', () => {
    expect(api.output()).not.toMatch(/model .*loaded|worker ready/i);
    expect(worker.output()).toMatch(/worker ready/i);
  });
});
