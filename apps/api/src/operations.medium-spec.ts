// Operations on the real embedded api (child process: SQLite, in-process ONNX inference, ffmpeg on the hall video):
// GET /metrics in the Prometheus text format (token + network allow-list, per-camera series labelled by camera id
// only, inference latency histogram, HTTP latency by route template, event-loop lag), LOG_FORMAT=json lines that
// parse, carry request ids and no secret, and camera / AI events in system_logs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePrometheusText, type PromFamily } from '@crowdsafe/server-observability';
import { HALL_VIDEO, MODEL, REPO_ROOT, freePort, runTs, waitUntil, type RunningProcess } from './testing/processes.test-util';
import { authHeaders, loginAs, TEST_ADMIN, TEST_AUTH_ENV } from './testing/auth.test-util';

jest.setTimeout(240_000);

const METRICS_TOKEN = 'scrape-token-7f3a9c1e5b2d4086';

describe('operations: /metrics, JSON logs, camera and AI events (embedded api)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cs-ops-'));
  let api: RunningProcess;
  let base = '';
  let token = '';
  let cameraId = '';

  const scrape = async (headers: Record<string, string> = { authorization: `Bearer ${METRICS_TOKEN}` }) => fetch(`${base}/metrics`, { headers });
  const families = async (): Promise<Map<string, PromFamily>> => {
    const res = await scrape();
    expect(res.status).toBe(200);
    return parsePrometheusText(await res.text());
  };
  /** A sample of this camera by sample name (histogram _count/_sum included). */
  const cameraValue = (f: Map<string, PromFamily>, name: string): number | undefined =>
    [...f.values()].flatMap((fam) => fam.samples).find((s) => s.labels['camera_id'] === cameraId && s.name === name)?.value;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = runTs('apps/api/src/main.ts', {
      ...TEST_AUTH_ENV,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      MODEL_PATH: MODEL,
      SAMPLE_VIDEO: HALL_VIDEO,
      WEB_DIST: '',
      METRICS_FLUSH_INTERVAL_MS: '500',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      METRICS_TOKEN,
      METRICS_ALLOWED_NETWORKS: 'loopback',
    });
    await api.waitFor(/CrowdSafe is running/, 120_000);
    token = await loginAs(base);
    const cams = (await (await fetch(`${base}/api/cameras`, { headers: authHeaders(token) })).json()) as { id: string }[];
    cameraId = cams[0]?.id ?? '';
    expect(cameraId).toBeTruthy();
  });

  afterAll(async () => {
    await api?.stop();
    // The suite's secrets scan (tools/test-all.mjs) also reads this JSON log, line by line.
    if (api) {
      mkdirSync(join(REPO_ROOT, 'tmp', 'test-results'), { recursive: true });
      writeFileSync(join(REPO_ROOT, 'tmp', 'test-results', 'api-json.log'), api.output());
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a scrape without the token, or with a wrong one (401)', async () => {
    expect((await scrape({})).status).toBe(401);
    expect((await scrape({ authorization: `Bearer ${METRICS_TOKEN}x` })).status).toBe(401);
    expect((await scrape({ authorization: `Bearer ${token}` })).status).toBe(401); // a user's JWT is not the scrape token
  });

  it('serves per-camera series labelled by camera id only, with live values', async () => {
    const f = await waitUntil(
      async () => {
        const fam = await families();
        const processed = cameraValue(fam, 'crowdsafe_camera_frames_processed_total') ?? 0;
        const density = cameraValue(fam, 'crowdsafe_camera_density_people_per_m2') ?? 0;
        return processed > 0 && density > 0 ? fam : undefined; // tracks are confirmed after a few frames
      },
      120_000,
      'processed frames and a stored second in /metrics',
    );
    expect(cameraValue(f, 'crowdsafe_camera_frames_decoded_total')).toBeGreaterThan(0);
    expect(cameraValue(f, 'crowdsafe_camera_frames_dropped_total')).toBeGreaterThanOrEqual(0);
    expect(cameraValue(f, 'crowdsafe_camera_ffmpeg_restarts_total')).toBeGreaterThanOrEqual(0);
    expect(cameraValue(f, 'crowdsafe_camera_up')).toBe(1);
    expect(cameraValue(f, 'crowdsafe_camera_people')).toBeGreaterThan(0); // the hall video always shows people
    expect([0, 1, 2, 3]).toContain(cameraValue(f, 'crowdsafe_camera_risk_level'));
    expect(cameraValue(f, 'crowdsafe_camera_alerts_open')).toBeGreaterThanOrEqual(0);
    expect(cameraValue(f, 'crowdsafe_inference_latency_seconds_count')).toBeGreaterThan(0);
    const inf = f.get('crowdsafe_inference_latency_seconds');
    expect(inf?.type).toBe('histogram');
    expect(inf?.samples.some((s) => s.name.endsWith('_bucket') && s.labels['le'] === '+Inf' && s.labels['camera_id'] === cameraId)).toBe(true);
    for (const fam of f.values()) {
      if (!fam.name.startsWith('crowdsafe_camera_') && !fam.name.startsWith('crowdsafe_inference_latency')) continue;
      for (const s of fam.samples) expect(Object.keys(s.labels).filter((k) => k !== 'le')).toEqual(['camera_id']);
    }
    // per process
    expect(f.get('crowdsafe_inference_pending')?.samples[0]?.value).toBeGreaterThanOrEqual(0);
    expect(f.get('crowdsafe_socket_clients')?.samples[0]?.value).toBe(0);
    expect(f.get('nodejs_eventloop_lag_seconds')?.samples[0]?.value).toBeGreaterThanOrEqual(0);
    const routes = new Set(f.get('crowdsafe_http_request_duration_seconds')?.samples.map((s) => s.labels['route']));
    expect(routes).toContain('/api/cameras');
    expect(routes).toContain('/api/auth/login');
  });

  it('HTTP latency is labelled by the route template, never the concrete path', async () => {
    await fetch(`${base}/api/cameras/${cameraId}`, { headers: authHeaders(token) });
    const f = await families();
    const routes = [...new Set(f.get('crowdsafe_http_request_duration_seconds')?.samples.map((s) => s.labels['route']))];
    expect(routes).toContain('/api/cameras/:id');
    expect(routes.some((r) => r?.includes(cameraId))).toBe(false);
  });

  it('writes camera and AI events to system_logs (the console camera log / System page)', async () => {
    const logs = await waitUntil(
      async () => {
        const res = await fetch(`${base}/api/system/logs?limit=200`, { headers: authHeaders(token) });
        const body = (await res.json()) as { items: { action: string; resourceId: string | null; category: string; message: string }[] };
        return body.items.some((l) => l.action === 'camera.connected') ? body.items : undefined;
      },
      60_000,
      'camera.connected in system_logs',
    );
    expect(logs.find((l) => l.action === 'camera.connected')).toMatchObject({ category: 'camera', resourceId: cameraId });
    expect(logs.find((l) => l.action === 'ai.model_loaded')?.message).toMatch(/Detection model .*\.onnx loaded/);
  });

  it('LOG_FORMAT=json: every line is a JSON object, requests carry ids, no secret appears', async () => {
    const res = await fetch(`${base}/api/system/health`, { headers: authHeaders(token, { 'x-request-id': 'ops-test-req-1' }) });
    expect(res.headers.get('x-request-id')).toBe('ops-test-req-1');
    await new Promise((r) => setTimeout(r, 300));
    const lines = api.output().split('\n').filter((l) => l.trim());
    expect(lines.length).toBeGreaterThan(5);
    const parsed = lines.map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON log line: ${l.slice(0, 300)}`);
      }
    });
    for (const p of parsed) {
      expect(typeof p['time']).toBe('string');
      expect(typeof p['level']).toBe('string');
    }
    const reqLine = parsed.find((p) => (p['req'] as { id?: string } | undefined)?.id === 'ops-test-req-1');
    expect(reqLine).toBeDefined();
    expect(JSON.stringify(reqLine)).not.toMatch(/authorization/i);
    const camLine = parsed.find((p) => (p['req'] as { url?: string } | undefined)?.url === `/api/cameras/${cameraId}`);
    expect(camLine?.['cameraId']).toBe(cameraId);
    const all = api.output();
    for (const secret of [METRICS_TOKEN, TEST_AUTH_ENV['JWT_SECRET'] as string, token, TEST_ADMIN.password]) expect(all).not.toContain(secret);
  });
});
