// The camera API over HTTP (Nest + supertest) with the real supervisor, ffmpeg and SQLite: every endpoint, every
// 400 case of the issue, and that a refused request saved nothing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { CameraRepository } from '@crowdsafe/server-database';
import { startCamerasApp, type CamerasTestApp } from '../testing/cameras-app.test-util';
import type { CameraDto } from './camera.dto';

jest.setTimeout(180_000);

let t: CamerasTestApp;
let tcp: Server;
let tcpPort = 0;
const api = () => request(t.app.getHttpServer());
const count = async () => ((await api().get('/api/cameras')).body as CameraDto[]).length;
const MANUAL = { frame: { width: 320, height: 240 }, manual: { floorAreaM2: 120 } };

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  // A plain TCP listener stands in for a reachable camera host (the create-time reachability check).
  tcp = createServer((s) => s.destroy());
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', () => r()));
  tcpPort = (tcp.address() as { port: number }).port;
  t = await startCamerasApp({ CAMERA_ALLOWED_NETWORKS: '127.0.0.1' });
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=10:duration=2', '-c:v', 'mpeg4', join(t.mediaDir, 'clip.mp4')]);
  mkdirSync(join(t.mediaDir, 'sub'));
  writeFileSync(join(t.dir, 'outside.mp4'), 'x');
  symlinkSync(join(t.dir, 'outside.mp4'), join(t.mediaDir, 'escape.mp4'));
  symlinkSync(join(t.mediaDir, 'clip.mp4'), join(t.mediaDir, 'sub', 'inside-link.mp4'));
});

afterAll(async () => {
  await t?.close();
  await new Promise<void>((r) => tcp.close(() => r()));
});

describe('camera API', () => {
  let id = '';

  it('GET /api/cameras is empty at first', async () => {
    await api().get('/api/cameras').expect(200, []);
  });

  it('POST creates a file camera (path stored as the real path inside the media dir)', async () => {
    const res = await api()
      .post('/api/cameras')
      .send({ name: '  Gate A  ', sourceType: 'file', sourceUrl: 'clip.mp4', isActive: false, targetFps: 5, calibrationData: MANUAL, capacity: 300 })
      .expect(201);
    const c = res.body as CameraDto;
    id = c.id;
    expect(c).toMatchObject({ name: 'Gate A', sourceType: 'file', sourceUrl: join(t.mediaDir, 'clip.mp4'), isActive: false, running: false, areaM2: 120, capacity: 300, health: null });
    await api().get(`/api/cameras/${id}`).expect(200);
  });

  it('POST accepts a symlink that stays inside the media dir', async () => {
    const res = await api().post('/api/cameras').send({ name: 'Linked', sourceType: 'file', sourceUrl: 'sub/inside-link.mp4', isActive: false }).expect(201);
    expect((res.body as CameraDto).sourceUrl).toBe(join(t.mediaDir, 'clip.mp4'));
    await api().delete(`/api/cameras/${(res.body as CameraDto).id}`).expect(204);
  });

  const base = { name: 'Bad', sourceType: 'file', sourceUrl: 'clip.mp4', isActive: false };
  it.each([
    { why: 'unknown scheme', body: { ...base, sourceType: 'rtsp', sourceUrl: 'ftp://127.0.0.1/x' }, message: /unsupported scheme ftp: for a rtsp source/ },
    { why: 'file: scheme for http', body: { ...base, sourceType: 'http', sourceUrl: 'file:///etc/passwd' }, message: /unsupported scheme file:/ },
    { why: 'unknown source type', body: { ...base, sourceType: 'webrtc' }, message: /sourceType must be one of/ },
    { why: 'malformed RTSP URL', body: { ...base, sourceType: 'rtsp', sourceUrl: 'rtsp:/127.0.0.1/s' }, message: /malformed rtsp URL/ },
    { why: 'RTSP URL without host', body: { ...base, sourceType: 'rtsp', sourceUrl: 'rtsp://:554/s' }, message: /malformed rtsp URL/ },
    { why: 'unreachable host (closed port)', body: { ...base, sourceType: 'rtsp', sourceUrl: 'rtsp://user:hunter22@127.0.0.1:1/s' }, message: /host 127\.0\.0\.1 port 1 is unreachable \(ECONNREFUSED\)/ },
    { why: 'unresolvable host', body: { ...base, sourceType: 'rtsp', sourceUrl: 'rtsp://no-such-camera.invalid/s' }, message: /host no-such-camera\.invalid cannot be resolved/ },
    { why: 'SSRF: private range', body: { ...base, sourceType: 'rtsp', sourceUrl: 'rtsp://10.1.2.3/s' }, message: /10\.1\.2\.3 is a private address .*CAMERA_ALLOWED_NETWORKS/ },
    { why: 'SSRF: loopback outside the allow-list', body: { ...base, sourceType: 'http', sourceUrl: 'http://127.0.0.2/x.mjpg' }, message: /127\.0\.0\.2 is a loopback address/ },
    { why: 'SSRF: IPv6 loopback', body: { ...base, sourceType: 'http', sourceUrl: 'http://[::1]/x.mjpg' }, message: /::1 is a loopback address/ },
    { why: 'SSRF: metadata service', body: { ...base, sourceType: 'http', sourceUrl: 'http://169.254.169.254/latest/meta-data' }, message: /cloud metadata address/ },
    { why: 'SSRF: link-local', body: { ...base, sourceType: 'rtsp', sourceUrl: 'rtsp://169.254.1.1/s' }, message: /link-local/ },
    { why: 'SSRF: CGNAT', body: { ...base, sourceType: 'rtmp', sourceUrl: 'rtmp://100.64.1.1/app/key' }, message: /carrier-grade NAT/ },
    { why: 'file outside the media dir (absolute)', body: { ...base, sourceUrl: '/etc/hostname' }, message: /outside the media directories/ },
    { why: 'file outside the media dir (traversal)', body: { ...base, sourceUrl: '../outside.mp4' }, message: /outside the media directories/ },
    { why: 'file outside the media dir (symlink escape)', body: { ...base, sourceUrl: 'escape.mp4' }, message: /outside the media directories/ },
    { why: 'missing file', body: { ...base, sourceUrl: 'nope.mp4' }, message: /video file not found: nope\.mp4/ },
    { why: 'a directory', body: { ...base, sourceUrl: 'sub' }, message: /not a regular file/ },
    { why: 'usb device missing', body: { ...base, sourceType: 'usb', sourceUrl: '/dev/video77' }, message: /capture device \/dev\/video77 not found/ },
    { why: 'FPS 0', body: { ...base, targetFps: 0 }, message: /targetFps must not be less than 0.1/ },
    { why: 'FPS negative', body: { ...base, targetFps: -5 }, message: /targetFps must not be less than 0.1/ },
    { why: 'FPS too high', body: { ...base, targetFps: 500 }, message: /targetFps must not be greater than 30/ },
    { why: 'area 0', body: { ...base, areaM2: 0 }, message: /areaM2 must be greater than 0/ },
    { why: 'negative area', body: { ...base, areaM2: -3 }, message: /areaM2 must be greater than 0/ },
    { why: 'calibration with 0 floor area', body: { ...base, calibrationData: { frame: { width: 320, height: 240 }, manual: { floorAreaM2: 0 } } }, message: /floor area must be a positive number/ },
    { why: 'calibration with 3 points', body: { ...base, calibrationData: { frame: { width: 320, height: 240 }, points: [{ image: [0, 0], world: [0, 0] }, { image: [10, 0], world: [1, 0] }, { image: [0, 10], world: [0, 1] }] } }, message: /at least 4 points/ },
    { why: 'bad detection settings', body: { ...base, settings: { detection: { confidence: 7 } } }, message: /settings\.detection/ },
    { why: 'empty name', body: { ...base, name: '   ' }, message: /name must be longer than or equal to 1/ },
    { why: 'name too long', body: { ...base, name: 'x'.repeat(129) }, message: /name must be shorter than or equal to 128/ },
    { why: 'unknown field', body: { ...base, password: 'x' }, message: /property password should not exist/ },
    { why: 'bad frameSkip', body: { ...base, sourceOptions: { frameSkip: 0 } }, message: /frameSkip must not be less than 1/ },
    { why: 'too many zones', body: { ...base, zones: Array.from({ length: 65 }, (_, i) => ({ id: `z${i}`, name: 'Z', polygon: [[0, 0], [10, 0], [10, 10]] })) }, message: /zones must contain no more than 64/ },
    { why: 'a bad zone', body: { ...base, zones: [{ id: 'z', name: 'Z', polygon: [[0, 0]] }] }, message: /zones\.0\.polygon must be an array of 3 to 256/ },
    { why: 'a nested settings field out of range', body: { ...base, settings: { detection: { iou: 1.5 } } }, message: /settings\.detection\.iou must not be greater than 1/ },
    { why: 'an unknown settings key', body: { ...base, settings: { analytics: { lines: [], zones: [] } } }, message: /settings\.analytics\.property zones should not exist/ },
  ])('POST 400: $why, nothing saved', async ({ body, message }) => {
    const before = await count();
    const res = await api().post('/api/cameras').send(body).expect(400);
    const text = JSON.stringify(res.body.message);
    expect(text).toMatch(message);
    expect(text).not.toMatch(/hunter22/);
    expect(await count()).toBe(before);
  });

  it('POST 409 on a taken name', async () => {
    await api().post('/api/cameras').send({ ...base, name: 'Gate A' }).expect(409);
  });

  it('GET 404 for an unknown id, 400 for a malformed one', async () => {
    await api().get('/api/cameras/6a0b8b5e-1a51-4e0b-9a0e-1b2c3d4e5f60').expect(404);
    await api().get('/api/cameras/not-a-uuid').expect(400);
  });

  it('credentials: redacted in responses, kept when the redacted URL is sent back, never logged in statuses', async () => {
    const url = `rtsp://admin:hunter22@127.0.0.1:${tcpPort}/s`;
    const res = await api().post('/api/cameras').send({ name: 'Cred', sourceType: 'rtsp', sourceUrl: url, isActive: false }).expect(201);
    const c = res.body as CameraDto;
    expect(c.sourceUrl).toBe(`rtsp://***@127.0.0.1:${tcpPort}/s`);
    expect(c.hasCredentials).toBe(true);
    await api().patch(`/api/cameras/${c.id}`).send({ sourceUrl: c.sourceUrl.replace('/s', '/t') }).expect(200);
    expect((await t.app.get(CameraRepository).findById(c.id))?.sourceUrl).toBe(`rtsp://admin:hunter22@127.0.0.1:${tcpPort}/t`);
    expect(JSON.stringify((await api().get('/api/cameras')).body)).not.toMatch(/hunter22/);
    await api().delete(`/api/cameras/${c.id}`).expect(204);
  });

  it('PATCH updates; a bad update is a 400 that changes nothing', async () => {
    await api().patch(`/api/cameras/${id}`).send({ location: 'North stand', targetFps: 4 }).expect(200);
    for (const body of [{ targetFps: 0 }, { sourceUrl: '/etc/passwd' }, { areaM2: 0 }, { sourceType: 'rtsp' }]) {
      await api().patch(`/api/cameras/${id}`).send(body).expect(400);
    }
    const c = (await api().get(`/api/cameras/${id}`)).body as CameraDto;
    expect(c).toMatchObject({ location: 'North stand', targetFps: 4, sourceType: 'file', areaM2: 120 });
  });

  it('POST /api/cameras/test probes a source before saving: codec, size, fps, JPEG snapshot', async () => {
    const res = await api().post('/api/cameras/test').send({ sourceType: 'file', sourceUrl: 'clip.mp4', timeoutMs: 10_000 }).expect(200);
    expect(res.body).toMatchObject({ codec: 'mpeg4', width: 320, height: 240, fps: 10, outputWidth: 320, outputHeight: 240, snapshotError: null });
    expect(Buffer.from(res.body.snapshotJpegBase64 as string, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    const bad = await api().post('/api/cameras/test').send({ sourceType: 'rtsp', sourceUrl: 'rtsp://10.0.0.1/s' }).expect(400);
    expect(bad.body.message).toMatch(/private address/);
    const dead = await api().post('/api/cameras/test').send({ sourceType: 'rtsp', sourceUrl: `rtsp://127.0.0.1:1/s`, timeoutMs: 2000 }).expect(400);
    expect(dead.body.message).toMatch(/source test failed \(failed\): cannot open rtsp:\/\/127\.0\.0\.1:1\/s: Connection refused/);
    await api().post('/api/cameras/test').send({ sourceType: 'file', sourceUrl: 'clip.mp4', timeoutMs: 10 }).expect(400);
    expect(await count()).toBe(1);
  });

  it('POST /:id/test probes the stored source', async () => {
    const res = await api().post(`/api/cameras/${id}/test`).send({}).expect(200);
    expect(res.body).toMatchObject({ codec: 'mpeg4', width: 320, height: 240 });
  });

  it('POST /:id/calibrate: area in m², zones checked, save=false only validates; 0/negative area and < 4 points refused', async () => {
    const scale = { frame: { width: 320, height: 240 }, scale: { a: [0, 120], b: [100, 120], distanceM: 5 } };
    const zones = [{ id: 'z1', name: 'Front', polygon: [[0, 0], [100, 0], [100, 100], [0, 100]] }];
    const dry = await api().post(`/api/cameras/${id}/calibrate`).send({ calibrationData: scale, zones, save: false }).expect(200);
    expect(dry.body).toMatchObject({ kind: 'scale', approximate: true, saved: false, zones: [{ id: 'z1', name: 'Front', areaM2: 25 }] });
    expect(dry.body.areaM2).toBeCloseTo(16 * 12, 3); // 320 x 240 px at 0.05 m/px
    expect(((await api().get(`/api/cameras/${id}`)).body as CameraDto).areaM2).toBe(120);
    const saved = await api().post(`/api/cameras/${id}/calibrate`).send({ calibrationData: scale, zones }).expect(200);
    expect(saved.body.saved).toBe(true);
    const c = (await api().get(`/api/cameras/${id}`)).body as CameraDto;
    expect(c.areaM2).toBeCloseTo(192, 3);
    expect(c.zones).toHaveLength(1);
    for (const calibrationData of [
      { frame: { width: 320, height: 240 }, manual: { floorAreaM2: 0 } },
      { frame: { width: 320, height: 240 }, manual: { floorAreaM2: -10 } },
      { frame: { width: 320, height: 240 }, points: [{ image: [0, 0], world: [0, 0] }] },
      { frame: { width: 320, height: 240 }, scale: { a: [0, 0], b: [0, 0], distanceM: 1 } },
    ]) {
      const r = await api().post(`/api/cameras/${id}/calibrate`).send({ calibrationData }).expect(400);
      expect(r.body.message).toMatch(/calibrationData/);
    }
    await api().post(`/api/cameras/${id}/calibrate`).send({}).expect(400);
    expect(((await api().get(`/api/cameras/${id}`)).body as CameraDto).areaM2).toBeCloseTo(192, 3);
  });

  it('start: running and online with frames; snapshot JPEG; config change restarts it; stop', async () => {
    await api().post(`/api/cameras/${id}/start`).expect(200);
    const online = await waitFor('online', async () => {
      const c = (await api().get(`/api/cameras/${id}`)).body as CameraDto;
      return c.status === 'online' && (c.health?.framesDecoded ?? 0) > 2 ? c : undefined;
    });
    expect(online).toMatchObject({ isActive: true, running: true });
    const snap = await api().get(`/api/cameras/${id}/snapshot`).expect(200);
    expect(snap.headers['content-type']).toBe('image/jpeg');
    // Changing the decode width restarts the runtime: a fresh source, frames at the new size.
    await api().patch(`/api/cameras/${id}`).send({ resolutionWidth: 160 }).expect(200);
    await waitFor('online at 160 px', async () => {
      const c = (await api().get(`/api/cameras/${id}`)).body as CameraDto;
      if (c.status !== 'online') return undefined;
      const s = await api().get(`/api/cameras/${id}/snapshot`);
      return s.status === 200 && (s.body as Buffer).readUInt16BE(0) === 0xffd8 && c.resolutionWidth === 160 ? true : undefined;
    });
    await api().post(`/api/cameras/${id}/stop`).expect(200);
    const stopped = (await api().get(`/api/cameras/${id}`)).body as CameraDto;
    expect(stopped).toMatchObject({ isActive: false, running: false, status: 'offline', statusReason: 'stopped' });
    await api().get(`/api/cameras/${id}/snapshot`).expect(409);
  });

  it('clone copies settings, zones and calibration with a new name and source', async () => {
    const res = await api().post(`/api/cameras/${id}/clone`).send({ name: 'Gate A copy', sourceUrl: 'clip.mp4' }).expect(201);
    const copy = res.body as CameraDto;
    const orig = (await api().get(`/api/cameras/${id}`)).body as CameraDto;
    expect(copy.id).not.toBe(id);
    expect(copy).toMatchObject({ name: 'Gate A copy', isActive: false, calibrationData: orig.calibrationData, zones: orig.zones, capacity: 300, targetFps: 4, resolutionWidth: 160 });
    await api().post(`/api/cameras/${id}/clone`).send({ name: 'Gate A copy', sourceUrl: 'clip.mp4' }).expect(409);
    await api().post(`/api/cameras/${id}/clone`).send({ name: 'Other', sourceUrl: '/etc/passwd' }).expect(400);
    await api().post(`/api/cameras/${id}/clone`).send({ name: 'Other' }).expect(400);
  });

  it('bulk activate / deactivate / delete, bounded and reporting unknown ids', async () => {
    const ids = ((await api().get('/api/cameras')).body as CameraDto[]).map((c) => c.id);
    const ghost = '6a0b8b5e-1a51-4e0b-9a0e-1b2c3d4e5f60';
    for (const body of [{ ids: [] }, { ids: ['nope'] }, { ids: Array.from({ length: 101 }, () => ghost) }, { ids: [ghost, ghost] }, {}]) {
      await api().post('/api/cameras/bulk/activate').send(body).expect(400);
    }
    const act = await api().post('/api/cameras/bulk/activate').send({ ids: [...ids, ghost] }).expect(200);
    expect(act.body).toEqual({ ids: expect.arrayContaining(ids), notFound: [ghost] });
    expect(((await api().get('/api/cameras')).body as CameraDto[]).every((c) => c.isActive && c.running)).toBe(true);
    const de = await api().post('/api/cameras/bulk/deactivate').send({ ids }).expect(200);
    expect(de.body.notFound).toEqual([]);
    expect(((await api().get('/api/cameras')).body as CameraDto[]).every((c) => !c.isActive && !c.running)).toBe(true);
    const del = await api().post('/api/cameras/bulk/delete').send({ ids: [ids[1], ghost] }).expect(200);
    expect(del.body).toEqual({ ids: [ids[1]], notFound: [ghost] });
    expect(await count()).toBe(ids.length - 1);
  });

  it('DELETE removes the camera (204), then 404', async () => {
    await api().delete(`/api/cameras/${id}`).expect(204);
    await api().get(`/api/cameras/${id}`).expect(404);
    await api().delete(`/api/cameras/${id}`).expect(404);
    await api().post(`/api/cameras/${id}/start`).expect(404);
  });
});
