// Two api replicas on one PostgreSQL and Redis: replica A owns the cameras (CAMERAS_ENABLED=true), replica B runs
// none (CAMERAS_ENABLED=false), a separate worker runs inference. A socket.io client connected to B must receive the
// camera's metrics_update and, once it asks for them, its live frames (A encodes only while someone watches,
// anywhere); killing B, the client reconnects to A and resubscribes.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { AlertLiveEvent, LiveFrameEvent, MetricsUpdateEvent } from '@crowdsafe/contracts';
import {
  HALL_VIDEO, MODEL, REDIS_URL, createDatabase, dropDatabase, freePort, pgUrl, runTs, waitUntil, type RunningProcess,
} from './testing/processes.test-util';
import { authHeaders, loginAs, TEST_AUTH_ENV } from './testing/auth.test-util';

jest.setTimeout(240_000);

async function connect(base: string, token: string): Promise<Socket> {
  const socket = io(`${base}/live`, { transports: ['websocket'], reconnection: false, auth: { token } });
  await new Promise<void>((res, rej) => {
    socket.once('connect', () => res());
    socket.once('connect_error', rej);
  });
  return socket;
}

describe('api replicas share live events through Redis', () => {
  const db = `cs_replicas_${process.pid}_${Date.now()}`;
  const prefix = `cs-test-replicas-${process.pid}-${Date.now()}`;
  const dirs = [mkdtempSync(join(tmpdir(), 'cs-rep-a-')), mkdtempSync(join(tmpdir(), 'cs-rep-b-'))];
  let worker: RunningProcess;
  let apiA: RunningProcess;
  let apiB: RunningProcess;
  const sockets: Socket[] = [];
  let baseA = '';
  let baseB = '';

  beforeAll(async () => {
    await createDatabase(db);
    // Replicas share the database, so they share its secrets key (camera URLs are encrypted at rest).
    const common = {
      REDIS_URL, QUEUE_PREFIX: prefix, MODEL_PATH: MODEL, LOG_LEVEL: 'info', DATABASE_URL: pgUrl(db), WEB_DIST: '',
      SECRETS_KEY: randomBytes(32).toString('base64'),
    };
    worker = runTs('apps/worker/src/main.ts', common);
    const [portA, portB] = [await freePort(), await freePort()];
    baseA = `http://127.0.0.1:${portA}`;
    baseB = `http://127.0.0.1:${portB}`;
    apiA = runTs('apps/api/src/main.ts', {
      ...common, ...TEST_AUTH_ENV, PORT: String(portA), HOST: '127.0.0.1', DATA_DIR: dirs[0], SAMPLE_VIDEO: HALL_VIDEO,
      METRICS_FLUSH_INTERVAL_MS: '500',
    });
    await worker.waitFor(/worker ready/i, 120_000);
    await apiA.waitFor(/CrowdSafe is running/, 120_000);
    // B starts after A has migrated the database and created the sample camera.
    apiB = runTs('apps/api/src/main.ts', {
      ...common, ...TEST_AUTH_ENV, PORT: String(portB), HOST: '127.0.0.1', DATA_DIR: dirs[1], CAMERAS_ENABLED: 'false', SAMPLE_CAMERA: 'false',
      DB_MIGRATIONS_RUN: 'false',
    });
    await apiB.waitFor(/CrowdSafe is running/, 120_000);
  });

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all([apiA?.stop(), apiB?.stop(), worker?.stop()]);
    await dropDatabase(db);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a client on the replica without cameras gets metrics_update and frames of a camera owned by the other', async () => {
    expect(apiB.output()).toMatch(/camera ingestion disabled in this process/);
    const token = await loginAs(baseB);
    const cameras = (await (await fetch(`${baseB}/api/cameras`, { headers: authHeaders(token) })).json()) as Array<{ id: string }>;
    expect(cameras).toHaveLength(1);
    const cameraId = cameras[0].id;

    const onB = await connect(baseB, token);
    sockets.push(onB);
    const updates: MetricsUpdateEvent[] = [];
    const frames: LiveFrameEvent[] = [];
    onB.on('metrics_update', (e: MetricsUpdateEvent) => updates.push(e));
    onB.on('frame', (e: LiveFrameEvent) => frames.push(e));
    await expect(onB.emitWithAck('subscribe', { cameraId })).resolves.toEqual({ ok: true });
    await waitUntil(() => (updates.length >= 3 ? true : undefined), 120_000, '3 metrics updates relayed from replica A');
    for (const u of updates) expect(u.cameraId).toBe(cameraId);
    // Nobody watched frames yet: A encoded none. Now a viewer on B asks; A sees the room within ~1 s and encodes.
    expect(frames).toHaveLength(0);
    await expect(onB.emitWithAck('watch_frames', { cameraId, enabled: true })).resolves.toEqual({ ok: true });
    await waitUntil(() => (frames.length >= 3 ? true : undefined), 60_000, '3 live frames relayed from replica A');
    expect(Buffer.from(frames[0].jpeg as ArrayBuffer).subarray(0, 2).toString('hex')).toBe('ffd8');

    // The current frame, asked of B, comes from A's runtime.
    const snap = await fetch(`${baseB}/api/cameras/${cameraId}/snapshot`, { headers: authHeaders(token) });
    expect(snap.status).toBe(200);
    expect(Buffer.from(await snap.arrayBuffer()).subarray(0, 2).toString('hex')).toBe('ffd8');
  });

  it('a camera change made on B restarts the camera on A; an alert acknowledged on B is decided by A\'s engine', async () => {
    const token = await loginAs(baseB);
    const [{ id: cameraId }] = (await (await fetch(`${baseB}/api/cameras`, { headers: authHeaders(token) })).json()) as Array<{ id: string }>;
    const onB = await connect(baseB, token);
    sockets.push(onB);
    const alerts: AlertLiveEvent[] = [];
    onB.on('alert', (e: AlertLiveEvent) => alerts.push(e));
    // Capacity 1 with ~20 people in view: A's engine opens a capacity alert once the restarted camera counts again.
    const patch = await fetch(`${baseB}/api/cameras/${cameraId}`, {
      method: 'PATCH',
      headers: { ...authHeaders(token), 'content-type': 'application/json' },
      body: JSON.stringify({ capacity: 1 }),
    });
    expect(patch.status).toBe(200);
    const opened = await waitUntil(() => alerts.find((a) => a.type === 'opened' && a.alert.condition === 'capacity'), 90_000, 'a capacity alert from A');
    expect(apiA.output()).toMatch(new RegExp(`camera ${cameraId}`));
    const ack = await fetch(`${baseB}/api/alerts/${opened.alert.id}/acknowledge`, {
      method: 'POST',
      headers: { ...authHeaders(token), 'content-type': 'application/json' },
      body: JSON.stringify({ notes: 'seen on the other replica' }),
    });
    expect(ack.status).toBe(200);
    await waitUntil(() => alerts.find((a) => a.type === 'acknowledged' && a.alert.id === opened.alert.id), 30_000, 'the acknowledged event');
    // A's engine decided: B did not fall back to writing the row itself.
    expect(apiB.output()).not.toMatch(/no running engine for camera/);
    const again = await fetch(`${baseB}/api/alerts/${opened.alert.id}/acknowledge`, {
      method: 'POST',
      headers: { ...authHeaders(token), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(again.status).toBe(409);
  });

  it('when replica B dies, its client reconnects to A and resubscribes', async () => {
    const token = await loginAs(baseA);
    const cameras = (await (await fetch(`${baseA}/api/cameras`, { headers: authHeaders(token) })).json()) as Array<{ id: string }>;
    const cameraId = cameras[0].id;
    const onB = await connect(baseB, token);
    sockets.push(onB);
    const gone = new Promise<void>((r) => onB.once('disconnect', () => r()));
    apiB.child.kill('SIGKILL');
    await gone;
    // What the console does on a lost connection: connect to the next replica (nginx would route it) and resubscribe.
    const onA = await connect(baseA, token);
    sockets.push(onA);
    const updates: MetricsUpdateEvent[] = [];
    onA.on('metrics_update', (e: MetricsUpdateEvent) => updates.push(e));
    await expect(onA.emitWithAck('subscribe', { cameraId })).resolves.toEqual({ ok: true });
    await waitUntil(() => (updates.length >= 2 ? true : undefined), 30_000, 'metrics updates after failing over to A');
  });
});
