// ./crowdsafe bench live — TRUE glass-to-glass latency of the live view on loopback, socket.io `frame` events vs the
// MJPEG endpoint, measured against the real embedded api:
//   - a node HTTP MJPEG "camera" (this process) stamps each frame's emission time (Date.now(), 48-bit ms) into its
//     pixels as a row of 48 black/white blocks, at the camera's fps;
//   - the api runs as a CHILD process (embedded mode, real ONNX detector, ffmpeg ingest of that MJPEG source, the
//     SSRF guard opened to 127.0.0.1/32 only), so its CPU is read alone from /proc/<pid>/stat (ffmpeg, a separate
//     process, decodes the same for both transports and is not counted);
//   - viewers (this process) decode the timestamp from the JPEGs they receive (sharp, raw pixels):
//     latency = arrival - emission, i.e. camera -> ffmpeg decode -> encode -> wire -> client (the live frame is
//     encoded as it is decoded, before detection); socket viewers also report the overlay's age (overlayAgeMs: how
//     far the boxes/tracks, from the latest processed frame, lag the picture).
// Phases: idle (nobody watches: nothing is encoded), then socket x1, socket x4, MJPEG x1, MJPEG x4.
// Options: --seconds N per phase (default 15), --fps N (default 10), --width N (source width, default 1280),
// --queue N (the api's FRAME_QUEUE_SIZE; default: the config's default). The picture does not go through that queue;
// the overlay's age is the detection lag (a live source's inference takes the newest queued frame).
import 'reflect-metadata';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import sharp from 'sharp';
import { io, type Socket } from 'socket.io-client';

const root = resolve(__dirname, '../..');
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const BITS = 48;
const TARGET_MS = 1000;

// ---- the timestamp code: 48 blocks in the top-left band of the frame ---------------------------------------------

export function blockRect(i: number, width: number): { x: number; y: number; w: number; h: number } {
  const w = Math.floor((width - 32) / BITS);
  return { x: 16 + i * w, y: 16, w, h: Math.round(w * 1.5) };
}

export function stamp(rgb: Buffer, width: number, ms: number): void {
  for (let i = 0; i < BITS; i++) {
    const bit = Math.floor(ms / 2 ** (BITS - 1 - i)) % 2;
    const r = blockRect(i, width);
    for (let y = r.y; y < r.y + r.h; y++) rgb.fill(bit ? 255 : 0, (y * width + r.x) * 3, (y * width + r.x + r.w) * 3);
  }
}

/** The emission time stamped into a received JPEG (any downscale), or null when the code is unreadable. */
async function readStamp(jpeg: Buffer | Uint8Array, sourceWidth: number): Promise<number | null> {
  const { data, info } = await sharp(jpeg).greyscale().raw().toBuffer({ resolveWithObject: true });
  const s = info.width / sourceWidth;
  let ms = 0;
  for (let i = 0; i < BITS; i++) {
    const r = blockRect(i, sourceWidth);
    const cx = Math.round((r.x + r.w / 2) * s);
    const cy = Math.round((r.y + r.h / 2) * s);
    let sum = 0;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) sum += data[(cy + dy) * info.width + cx + dx];
    const v = sum / 9;
    if (v > 80 && v < 175) return null; // neither black nor white: not a stamped frame
    ms = ms * 2 + (v >= 128 ? 1 : 0);
  }
  return ms;
}

// ---- the camera: an MJPEG HTTP source ------------------------------------------------------------------------------

function baseFrame(width: number, height: number): Buffer {
  const video = resolve(root, 'media/sample.mp4');
  if (existsSync(video)) {
    return execFileSync('ffmpeg', ['-v', 'error', '-ss', '3', '-i', video, '-vf', `scale=${width}:${height}`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 1 << 28 });
  }
  const b = Buffer.alloc(width * height * 3);
  for (let i = 0; i < b.length; i++) b[i] = (i * 7919) % 251;
  return b;
}

/** `onSent`: each frame's stamped emission time, when its JPEG was handed to the client sockets (ms), and its size. */
export function startSource(fps: number, width: number, height: number, onSent?: (stampMs: number, sentMs: number, bytes: number) => void): Promise<{ server: Server; url: string; stop(): void }> {
  const base = baseFrame(width, height);
  const clients = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    if (req.url !== '/cam.mjpeg') return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'multipart/x-mixed-replace; boundary=frame', 'Cache-Control': 'no-store' });
    res.socket?.setNoDelay(true);
    clients.add(res);
    res.on('close', () => clients.delete(res));
  });
  let busy = false;
  const timer = setInterval(() => {
    if (busy || !clients.size) return;
    busy = true;
    const rgb = Buffer.from(base);
    const stampMs = Date.now();
    stamp(rgb, width, stampMs);
    sharp(rgb, { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 85 })
      .toBuffer()
      .then((jpeg) => {
        const part = Buffer.concat([Buffer.from(`--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`), jpeg, Buffer.from('\r\n')]);
        let sent = false;
        for (const c of clients) {
          if (c.writableNeedDrain) continue; // a camera drops frames its client cannot take
          c.write(part);
          sent = true;
        }
        if (sent) onSent?.(stampMs, Date.now(), part.length);
      })
      .finally(() => (busy = false));
  }, 1000 / fps);
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      r({ server, url: `http://127.0.0.1:${port}/cam.mjpeg`, stop: () => (clearInterval(timer), clients.forEach((c) => c.destroy()), server.close()) });
    }),
  );
}

// ---- the api, as a child process -----------------------------------------------------------------------------------

interface ApiInfo {
  port: number;
  token: string;
  cameraId: string;
}

async function apiChild(): Promise<void> {
  const { loadConfig } = await import('@crowdsafe/server-config');
  const { createApp } = await import('../../apps/api/src/app/bootstrap');
  const { CamerasService } = await import('@crowdsafe/server-cameras');
  const { SessionService } = await import('@crowdsafe/server-auth');
  const { UserAccountsService } = await import('@crowdsafe/server-users');
  const [dataDir, sourceUrl, fps, width, queue] = process.argv.slice(process.argv.indexOf('--live-api-child') + 1);
  const config = loadConfig(
    { DATA_DIR: dataDir, MODEL_PATH: resolve(root, 'models/yolo11n.onnx'), SAMPLE_CAMERA: 'false', WEB_DIST: '', LOG_LEVEL: 'warn', CAMERA_ALLOWED_NETWORKS: '127.0.0.1/32', CAMERA_DEFAULT_WIDTH: width, ...(queue !== '0' ? { FRAME_QUEUE_SIZE: queue } : {}) },
    root,
  );
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as { port: number }).port;
  const accounts = app.get(UserAccountsService, { strict: false });
  const user = (await accounts.create({ username: 'bench-viewer', role: 'viewer', password: 'copper-lantern-drifts-north-9' })).user;
  const token = (await app.get(SessionService, { strict: false }).issue(user)).accessToken;
  const camera = await app.get(CamerasService).create({ name: 'bench-live', sourceType: 'http', sourceUrl, isActive: true, targetFps: Number(fps) } as never, null);
  process.stdout.write(`${JSON.stringify({ port, token, cameraId: camera.id } satisfies ApiInfo)}\n`);
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

function startApi(dataDir: string, sourceUrl: string, fps: number, width: number, queue: number): Promise<{ child: ChildProcess; info: ApiInfo }> {
  const child = spawn(process.execPath, ['-r', './tools/ts-register.js', 'tools/bench/live.ts', '--live-api-child', dataDir, sourceUrl, String(fps), String(width), String(queue)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((res, rej) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (l) => {
      if (l.startsWith('{"port"')) res({ child, info: JSON.parse(l) as ApiInfo });
    });
    child.on('exit', (code) => rej(new Error(`api child exited (${code})`)));
  });
}

/** CPU seconds (user + system) of a process so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

// ---- viewers -------------------------------------------------------------------------------------------------------

interface Viewer {
  latencies: number[];
  /** overlayAgeMs of the frames received (socket viewers). */
  overlayAges: number[];
  bytes: number;
  frames: number;
  unreadable: number;
  close(): void;
}

function newViewer(): Viewer {
  return { latencies: [], overlayAges: [], bytes: 0, frames: 0, unreadable: 0, close: () => undefined };
}

async function onJpeg(v: Viewer, jpeg: Buffer | Uint8Array, sourceWidth: number, measuring: () => boolean): Promise<void> {
  const at = Date.now();
  const ts = await readStamp(jpeg, sourceWidth);
  if (!measuring()) return;
  v.frames++;
  if (ts === null || at - ts < 0 || at - ts > 60_000) v.unreadable++;
  else v.latencies.push(at - ts);
}

async function socketViewer(api: ApiInfo, sourceWidth: number, measuring: () => boolean): Promise<Viewer> {
  const v = newViewer();
  const socket: Socket = io(`http://127.0.0.1:${api.port}/live`, { auth: { token: api.token }, transports: ['websocket'] });
  socket.on('frame', (e: { jpeg: Buffer; detections: unknown[]; tracks?: unknown[]; overlayAgeMs?: number }) => {
    if (measuring()) v.bytes += e.jpeg.byteLength + JSON.stringify({ ...e, jpeg: undefined }).length; // payload bytes (framing excluded)
    if (measuring() && e.overlayAgeMs !== undefined) v.overlayAges.push(e.overlayAgeMs);
    void onJpeg(v, e.jpeg, sourceWidth, measuring);
  });
  await new Promise<void>((res, rej) => {
    socket.once('connect_error', rej);
    socket.once('connect', () => socket.emit('watch_frames', { cameraId: api.cameraId, enabled: true }, (ack: { ok: boolean; error?: string }) => (ack.ok ? res() : rej(new Error(ack.error)))));
  });
  v.close = () => socket.close();
  return v;
}

async function mjpegViewer(api: ApiInfo, sourceWidth: number, measuring: () => boolean): Promise<Viewer> {
  const v = newViewer();
  const ticketRes = await fetch(`http://127.0.0.1:${api.port}/api/cameras/${api.cameraId}/live-ticket`, { method: 'POST', headers: { Authorization: `Bearer ${api.token}` } });
  if (ticketRes.status !== 200) throw new Error(`live-ticket: ${ticketRes.status} ${await ticketRes.text()}`);
  const { url } = (await ticketRes.json()) as { url: string };
  const res = await new Promise<IncomingMessage>((ok, fail) => get(`http://127.0.0.1:${api.port}${url}`, ok).on('error', fail));
  if (res.statusCode !== 200) throw new Error(`live.mjpeg: ${res.statusCode}`);
  let buf: Buffer = Buffer.alloc(0);
  res.on('data', (chunk: Buffer) => {
    if (measuring()) v.bytes += chunk.length; // wire bytes (multipart framing included)
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      const headEnd = buf.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, headEnd).toString('latin1'))?.[1]);
      if (buf.length < headEnd + 4 + len + 2) return;
      void onJpeg(v, buf.subarray(headEnd + 4, headEnd + 4 + len), sourceWidth, measuring);
      buf = buf.subarray(headEnd + 4 + len + 2);
    }
  });
  res.on('error', () => undefined);
  v.close = () => res.destroy();
  return v;
}

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

interface PhaseResult {
  name: string;
  viewers: number;
  fps: number;
  p50: number;
  p95: number;
  overlayP50: number;
  cpuPct: number;
  bytesPerS: number;
  unreadable: number;
}

async function phase(name: string, n: number, open: ((m: () => boolean) => Promise<Viewer>) | null, seconds: number, pid: number): Promise<PhaseResult> {
  let on = false;
  const viewers: Viewer[] = [];
  for (let i = 0; i < n && open; i++) viewers.push(await open(() => on));
  await sleep(3000); // settle: first frames, encoder running
  const c0 = cpuSeconds(pid);
  const t0 = Date.now();
  on = true;
  await sleep(seconds * 1000);
  on = false;
  const wall = (Date.now() - t0) / 1000;
  const cpu = cpuSeconds(pid) - c0;
  for (const v of viewers) v.close();
  await sleep(1500); // let the api notice the disconnects before the next phase
  const lat = viewers.flatMap((v) => v.latencies);
  const frames = viewers.reduce((a, v) => a + v.frames, 0);
  return {
    name,
    viewers: n,
    fps: n ? frames / n / wall : 0,
    p50: pct(lat, 50),
    p95: pct(lat, 95),
    overlayP50: pct(viewers.flatMap((v) => v.overlayAges), 50),
    cpuPct: (cpu / wall) * 100,
    bytesPerS: viewers.reduce((a, v) => a + v.bytes, 0) / wall,
    unreadable: viewers.reduce((a, v) => a + v.unreadable, 0),
  };
}

export async function liveBench(): Promise<void> {
  const seconds = arg('seconds', 15);
  const fps = arg('fps', 10);
  const width = arg('width', 1280);
  const height = Math.round((width * 9) / 16 / 2) * 2;
  if (!existsSync(resolve(root, 'models/yolo11n.onnx'))) throw new Error('models/yolo11n.onnx is missing; run ./crowdsafe setup');
  const dataDir = mkdtempSync(join(tmpdir(), 'cs-bench-live-'));
  const source = await startSource(fps, width, height);
  const queue = arg('queue', 0);
  const { child, info } = await startApi(dataDir, source.url, fps, width, queue);
  const pid = child.pid as number;
  try {
    console.log(`CrowdSafe live-view bench — ${require('node:os').cpus().length} cores, node ${process.version}; source ${width}x${height} MJPEG at ${fps} fps; FRAME_QUEUE_SIZE ${queue || 'default'}; ${seconds} s per phase; load average ${require('node:os').loadavg()[0].toFixed(1)}`);
    // Wait until frames flow end to end.
    const probe = await socketViewer(info, width, () => true);
    for (let i = 0; i < 60 && probe.frames < 3; i++) await sleep(500);
    probe.close();
    if (probe.frames < 3) throw new Error('no live frames from the api within 30 s (camera did not come online?)');
    await sleep(2000);
    const results: PhaseResult[] = [];
    results.push(await phase('idle (nobody watches)', 0, null, seconds, pid));
    for (const n of [1, 4]) results.push(await phase('socket.io frame', n, (m) => socketViewer(info, width, m), seconds, pid));
    for (const n of [1, 4]) results.push(await phase('MJPEG live.mjpeg', n, (m) => mjpegViewer(info, width, m), seconds, pid));
    console.log('\ntransport              viewers  fps/viewer  p50 ms  p95 ms  p95/1 s  overlay age p50 ms  api CPU %  bytes/s (all viewers)  unreadable');
    for (const r of results) {
      console.log(
        `${r.name.padEnd(22)} ${String(r.viewers).padStart(7)}  ${r.fps.toFixed(1).padStart(10)}  ${fmt(r.p50).padStart(6)}  ${fmt(r.p95).padStart(6)}  ${(Number.isNaN(r.p95) ? '-' : (r.p95 / TARGET_MS).toFixed(2)).padStart(7)}  ${fmt(r.overlayP50).padStart(18)}  ${r.cpuPct.toFixed(0).padStart(9)}  ${Math.round(r.bytesPerS).toLocaleString('en').padStart(21)}  ${String(r.unreadable).padStart(10)}`,
      );
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 3000).unref() && child.once('exit', r));
    if (child.exitCode === null) child.kill('SIGKILL');
    source.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const fmt = (v: number) => (Number.isNaN(v) ? '-' : v.toFixed(0));

if (process.argv.includes('--live-api-child')) {
  apiChild().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
