// Real stream sources on loopback for the camera medium specs (not part of the build: *.test-util.ts).
// - RtspTestServer: a minimal RTSP server (RFC 2326: OPTIONS/DESCRIBE/SETUP/PLAY/GET_PARAMETER/TEARDOWN, Basic auth)
//   sending RTP over the RTSP TCP connection (interleaved, RFC 2326 §10.12) with an MPEG-TS payload (RFC 2250,
//   payload type 33) carrying H.264 produced live by ffmpeg (libx264; SPS/PPS repeated at every keyframe).
// - MjpegTestServer: HTTP multipart/x-mixed-replace MJPEG (ffmpeg's mpjpeg muxer), like an IP camera's .mjpg URL.
// - HlsTestServer: ffmpeg writes a live HLS playlist + segments; node serves the directory.
// Each can be killed (listener closed, every connection destroyed) and restored on the same port.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';

export const FFMPEG_BIN = process.env.FFMPEG_PATH ?? 'ffmpeg';

function listen(server: Server | HttpServer, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const a = server.address();
      resolve(a && typeof a === 'object' ? a.port : port);
    });
  });
}

function closeServer(server: Server | HttpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A live test picture from ffmpeg's lavfi testsrc (real time). */
function liveTestsrc(extra: string[], size = '320x240', fps = 10): ChildProcess {
  return spawn(
    FFMPEG_BIN,
    ['-hide_banner', '-loglevel', 'error', '-nostdin', '-re', '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=${fps}`, ...extra],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
}

async function killChild(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGKILL');
  await exited;
}

interface RtspSession {
  socket: Socket;
  channel: number;
  playing: boolean;
  seq: number;
  ssrc: number;
}

export class RtspTestServer {
  private server: Server | null = null;
  private feeder: ChildProcess | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly sessions = new Map<Socket, RtspSession>();
  private pending: Buffer = Buffer.alloc(0);
  private readonly t0 = Date.now();
  port = 0;
  /** Requests seen (method names), for assertions. */
  readonly requests: string[] = [];

  constructor(private readonly auth?: { user: string; password: string }) {}

  url(path = 'live'): string {
    const cred = this.auth ? `${encodeURIComponent(this.auth.user)}:${encodeURIComponent(this.auth.password)}@` : '';
    return `rtsp://${cred}127.0.0.1:${this.port}/${path}`;
  }

  async start(port = 0): Promise<void> {
    if (!this.feeder) {
      this.feeder = liveTestsrc(['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '10', '-x264-params', 'repeat-headers=1', '-pix_fmt', 'yuv420p', '-f', 'mpegts', 'pipe:1']);
      this.feeder.stdout?.on('data', (chunk: Buffer) => this.onTs(chunk));
    }
    this.server = createServer((socket) => this.onConnection(socket));
    this.port = await listen(this.server, port || this.port);
  }

  /** The source dies: no new connections, every client connection dropped (the feeder keeps running). */
  async kill(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.sessions.clear();
    if (server) await closeServer(server);
  }

  /** The source comes back on the same port. */
  async restore(): Promise<void> {
    if (!this.server) await this.start(this.port);
  }

  async close(): Promise<void> {
    await this.kill();
    await killChild(this.feeder);
    this.feeder = null;
  }

  private onTs(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const n = Math.floor(this.pending.length / 188) * 188;
    if (!n) return;
    const ts = this.pending.subarray(0, n);
    this.pending = Buffer.from(this.pending.subarray(n));
    const timestamp = (Math.round((Date.now() - this.t0) * 90) >>> 0) & 0xffffffff;
    for (let off = 0; off < ts.length; off += 188 * 7) {
      const payload = ts.subarray(off, Math.min(ts.length, off + 188 * 7));
      for (const s of this.sessions.values()) if (s.playing) this.sendRtp(s, payload, timestamp);
    }
  }

  private sendRtp(s: RtspSession, payload: Buffer, timestamp: number): void {
    const rtp = Buffer.alloc(12);
    rtp[0] = 0x80;
    rtp[1] = 33;
    rtp.writeUInt16BE(s.seq, 2);
    s.seq = (s.seq + 1) & 0xffff;
    rtp.writeUInt32BE(timestamp >>> 0, 4);
    rtp.writeUInt32BE(s.ssrc, 8);
    const head = Buffer.from([0x24, s.channel, 0, 0]);
    head.writeUInt16BE(rtp.length + payload.length, 2);
    if (!s.socket.destroyed && s.socket.writableLength < 4 * 1024 * 1024) s.socket.write(Buffer.concat([head, rtp, payload]));
  }

  private onConnection(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.sessions.delete(socket);
    });
    socket.on('error', () => socket.destroy());
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (buf.length && buf[0] === 0x24) {
          // Interleaved data from the client (RTCP receiver reports): skip it.
          if (buf.length < 4) return;
          const len = buf.readUInt16BE(2);
          if (buf.length < 4 + len) return;
          buf = buf.subarray(4 + len);
          continue;
        }
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString('latin1');
        const contentLength = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < end + 4 + contentLength) return;
        buf = buf.subarray(end + 4 + contentLength);
        this.onRequest(socket, head);
      }
    });
  }

  private onRequest(socket: Socket, head: string): void {
    const [requestLine = '', ...lines] = head.split('\r\n');
    const [method = '', uri = ''] = requestLine.split(' ');
    this.requests.push(method);
    const headers = new Map<string, string>();
    for (const l of lines) {
      const i = l.indexOf(':');
      if (i > 0) headers.set(l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim());
    }
    const cseq = headers.get('cseq') ?? '0';
    const reply = (status: string, extra: Record<string, string> = {}, body = '') => {
      let out = `RTSP/1.0 ${status}\r\nCSeq: ${cseq}\r\nServer: crowdsafe-test\r\n`;
      for (const [k, v] of Object.entries(extra)) out += `${k}: ${v}\r\n`;
      if (body) out += `Content-Length: ${Buffer.byteLength(body)}\r\n`;
      socket.write(`${out}\r\n${body}`);
    };
    if (this.auth && method !== 'OPTIONS') {
      const expected = `Basic ${Buffer.from(`${this.auth.user}:${this.auth.password}`).toString('base64')}`;
      if (headers.get('authorization') !== expected) {
        reply('401 Unauthorized', { 'WWW-Authenticate': 'Basic realm="crowdsafe-test"' });
        return;
      }
    }
    const base = uri.replace(/\/$/, '');
    switch (method) {
      case 'OPTIONS':
        return reply('200 OK', { Public: 'OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER' });
      case 'DESCRIBE': {
        const sdp = [
          'v=0',
          'o=- 0 0 IN IP4 127.0.0.1',
          's=CrowdSafe test stream',
          'c=IN IP4 0.0.0.0',
          't=0 0',
          'a=control:*',
          'm=video 0 RTP/AVP 33',
          'a=rtpmap:33 MP2T/90000',
          'a=control:trackID=0',
          '',
        ].join('\r\n');
        return reply('200 OK', { 'Content-Type': 'application/sdp', 'Content-Base': `${base}/` }, sdp);
      }
      case 'SETUP': {
        const transport = headers.get('transport') ?? '';
        if (!/RTP\/AVP\/TCP/i.test(transport)) return reply('461 Unsupported Transport');
        const channel = Number(/interleaved=(\d+)/.exec(transport)?.[1] ?? 0);
        this.sessions.set(socket, { socket, channel, playing: false, seq: randomBytes(2).readUInt16BE(0), ssrc: randomBytes(4).readUInt32BE(0) });
        return reply('200 OK', { Transport: `RTP/AVP/TCP;unicast;interleaved=${channel}-${channel + 1}`, Session: '12345678;timeout=60' });
      }
      case 'PLAY': {
        const s = this.sessions.get(socket);
        if (!s) return reply('454 Session Not Found');
        reply('200 OK', { Session: '12345678', Range: 'npt=0.000-' });
        s.playing = true;
        return;
      }
      case 'GET_PARAMETER':
        return reply('200 OK', { Session: '12345678' });
      case 'TEARDOWN':
        this.sessions.delete(socket);
        reply('200 OK', { Session: '12345678' });
        return;
      default:
        return reply('501 Not Implemented');
    }
  }
}

/** HTTP MJPEG (multipart/x-mixed-replace), one live ffmpeg per client like a camera's encoder. */
export class MjpegTestServer {
  private server: HttpServer | null = null;
  private readonly children = new Set<ChildProcess>();
  private readonly sockets = new Set<Socket>();
  port = 0;

  url(): string {
    return `http://127.0.0.1:${this.port}/video.mjpg`;
  }

  async start(port = 0): Promise<void> {
    this.server = createHttpServer((req, res) => this.onRequest(req, res));
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.port = await listen(this.server, port || this.port);
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (req.url !== '/video.mjpg') {
      res.writeHead(404).end();
      return;
    }
    const child = liveTestsrc(['-c:v', 'mjpeg', '-q:v', '5', '-f', 'mpjpeg', 'pipe:1']);
    this.children.add(child);
    child.on('exit', () => this.children.delete(child));
    res.writeHead(200, { 'Content-Type': 'multipart/x-mixed-replace;boundary=ffmpeg', 'Cache-Control': 'no-cache' });
    child.stdout?.pipe(res);
    res.on('close', () => child.kill('SIGKILL'));
  }

  async kill(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await Promise.all([...this.children].map((c) => killChild(c)));
    if (server) await closeServer(server);
  }

  async restore(): Promise<void> {
    if (!this.server) await this.start(this.port);
  }

  async close(): Promise<void> {
    await this.kill();
  }
}

/** Live HLS: ffmpeg writes index.m3u8 + 1 s segments into a temp dir; node serves it. */
export class HlsTestServer {
  private server: HttpServer | null = null;
  private writer: ChildProcess | null = null;
  readonly dir = mkdtempSync(join(tmpdir(), 'crowdsafe-hls-'));
  port = 0;

  url(): string {
    return `http://127.0.0.1:${this.port}/live/index.m3u8`;
  }

  async start(): Promise<void> {
    this.writer = spawn(
      FFMPEG_BIN,
      [
        '-hide_banner', '-loglevel', 'error', '-nostdin', '-re', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=10',
        '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '10', '-pix_fmt', 'yuv420p',
        '-f', 'hls', '-hls_time', '1', '-hls_list_size', '4', '-hls_flags', 'delete_segments+omit_endlist',
        join(this.dir, 'index.m3u8'),
      ],
      { stdio: 'ignore' },
    );
    this.server = createHttpServer((req, res) => {
      const rel = normalize(decodeURIComponent((req.url ?? '/').split('?')[0])).replace(/^\/live\//, '');
      const file = join(this.dir, rel);
      if (rel.includes('..') || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': rel.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t', 'Cache-Control': 'no-cache' });
      createReadStream(file).pipe(res);
    });
    this.port = await listen(this.server, 0);
    // Wait for the first segments.
    const deadline = Date.now() + 15_000;
    while (!existsSync(join(this.dir, 'index2.ts'))) {
      if (Date.now() > deadline) throw new Error('HLS writer produced no segments within 15 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async close(): Promise<void> {
    await killChild(this.writer);
    if (this.server) await closeServer(this.server);
    this.server = null;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Direct children of `pid` (Linux /proc), e.g. to prove that no ffmpeg was leaked. */
export function childPids(pid = process.pid): number[] {
  try {
    const out: number[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(fields[1]) === pid && fields[0] !== 'Z') out.push(Number(entry));
      } catch {
        // exited meanwhile
      }
    }
    return out;
  } catch {
    return [];
  }
}

/** Command line of a pid ('' when gone). */
export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}
