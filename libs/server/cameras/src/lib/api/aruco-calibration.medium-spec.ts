// ArUco calibration wired to a camera: a file camera (ffmpeg) shows a top-down floor with two markers (100 px per
// metre); POST /api/cameras/:id/calibrate/aruco detects them in the current frame and proposes the homography, which
// POST /api/cameras/:id/calibrate then accepts and stores.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { markerBits } from '@crowdsafe/analytics';
import { CameraSupervisor } from '../runtime/camera-supervisor';
import { startCamerasApp, type CamerasTestApp } from '../testing/cameras-app.test-util';

jest.setTimeout(120_000);

const W = 640;
const H = 480;
const PX_PER_M = 100;

/** Grey floor with 4x4 markers drawn axis-aligned (black border + code, one white quiet cell). */
function floorWithMarkers(markers: { id: number; centerPx: [number, number]; sizeM: number }[]): Buffer {
  const img = Buffer.alloc(W * H * 3, 128);
  const paint = (x0: number, y0: number, w: number, h: number, v: number) => {
    for (let y = Math.round(y0); y < Math.round(y0 + h); y++) for (let x = Math.round(x0); x < Math.round(x0 + w); x++) img.fill(v, (y * W + x) * 3, (y * W + x) * 3 + 3);
  };
  for (const m of markers) {
    const bits = markerBits('ARUCO_4X4_1000', m.id);
    const cells = bits.length + 2;
    const cell = (m.sizeM * PX_PER_M) / cells;
    const x0 = m.centerPx[0] - (cells / 2) * cell;
    const y0 = m.centerPx[1] - (cells / 2) * cell;
    paint(x0 - cell, y0 - cell, (cells + 2) * cell, (cells + 2) * cell, 235);
    paint(x0, y0, cells * cell, cells * cell, 25);
    bits.forEach((row, r) => row.forEach((b, c) => b && paint(x0 + (c + 1) * cell, y0 + (r + 1) * cell, cell, cell, 235)));
  }
  return img;
}

describe('POST /api/cameras/:id/calibrate/aruco', () => {
  let t: CamerasTestApp;
  const api = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await startCamerasApp();
    const raw = join(t.dir, 'floor.rgb');
    writeFileSync(raw, floorWithMarkers([{ id: 3, centerPx: [160, 240], sizeM: 0.8 }, { id: 17, centerPx: [480, 140], sizeM: 0.8 }]));
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${W}x${H}`, '-r', '5', '-stream_loop', '19', '-i', raw, '-c:v', 'mpeg4', '-q:v', '1', join(t.mediaDir, 'floor.mp4')]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('detects the markers in the current frame, proposes a homography, and the calibrate endpoint accepts it', async () => {
    const cam = await api().post('/api/cameras').send({ name: 'Floor', sourceType: 'file', sourceUrl: 'floor.mp4', sourceOptions: { loop: true }, targetFps: 5 }).expect(201);
    const id = cam.body.id as string;
    const supervisor = t.app.get(CameraSupervisor);
    const deadline = Date.now() + 30_000;
    while (!supervisor.runtime(id)?.latestFrame()) {
      if (Date.now() > deadline) throw new Error('no frame');
      await new Promise((r) => setTimeout(r, 100));
    }
    const layout = { 3: { sizeM: 0.8 }, 17: { sizeM: 0.8, center: [3.2, 1.0] } };
    const res = await api().post(`/api/cameras/${id}/calibrate/aruco`).send({ layout }).expect(200);
    expect(res.body.frame).toEqual({ width: W, height: H });
    expect(res.body.markers.map((m: { id: number; used: boolean }) => [m.id, m.used]).sort()).toEqual([[17, true], [3, true]]);
    for (const m of res.body.markers) expect(m.rmsErrorPx).toBeLessThan(1.5);
    const cal = res.body.calibration as { kind: string; floorAreaM2: number };
    expect(cal.kind).toBe('homography');
    // The whole 640x480 frame at 100 px/m is 6.4 m x 4.8 m.
    expect(cal.floorAreaM2).toBeGreaterThan(30.72 * 0.95);
    expect(cal.floorAreaM2).toBeLessThan(30.72 * 1.05);
    expect((await api().get(`/api/cameras/${id}`)).body.calibrationData).toBeNull(); // a proposal only

    // Bad input: a layout missing the detected markers is reported, not thrown; a bad dictionary is a 400.
    const none = await api().post(`/api/cameras/${id}/calibrate/aruco`).send({ layout: { 99: { sizeM: 0.5 } } }).expect(200);
    expect(none.body.calibration).toBeNull();
    expect(none.body.issues.length).toBeGreaterThan(0);
    const bad = await api().post(`/api/cameras/${id}/calibrate/aruco`).send({ layout, dictionary: 'QR' }).expect(400);
    expect(JSON.stringify(bad.body.message)).toContain('dictionary must be one of');
    await api().post(`/api/cameras/00000000-0000-4000-8000-000000000000/calibrate/aruco`).send({ layout }).expect(404);

    // Accepted as is by the calibrate endpoint (stored; the camera restarts with it).
    const accepted = await api().post(`/api/cameras/${id}/calibrate`).send({ calibrationData: cal }).expect(200);
    expect(accepted.body).toMatchObject({ kind: 'homography', saved: true });
    expect((await api().get(`/api/cameras/${id}`)).body.calibrationData).toMatchObject({ kind: 'homography' });
  });
});
