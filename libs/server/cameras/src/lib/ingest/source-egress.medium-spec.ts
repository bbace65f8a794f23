// The per-run guarding proxy for http(s)/HLS camera sources (source-egress.ts) with real sockets on loopback: only the
// camera's own origin, the checked address connected to (Host header and TLS SNI kept), no redirects passed on,
// DNS rebinding refused at the next connection. The "camera LAN" is 127.0.0.3/32; 127.0.0.1/127.0.0.2 are refused.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, request, type Server } from 'node:http';
import { createServer as createTlsServer, connect as tlsConnect } from 'node:tls';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetworkGuard } from './network-guard';
import { EgressProxy, prepareEgress } from './source-egress';

jest.setTimeout(60_000);

const listen = (server: Server | ReturnType<typeof createTlsServer>, host: string) =>
  new Promise<number>((resolve) => server.listen(0, host, () => resolve((server.address() as { port: number }).port)));

/** GET through the proxy (absolute-form request URI, as ffmpeg sends it). */
function viaProxy(proxyUrl: string, target: string, host: string): Promise<{ status: number; body: string }> {
  const p = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: p.hostname, port: p.port, path: target, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** CONNECT through the proxy; resolves with the status line. */
function tunnel(proxyUrl: string, authority: string): Promise<{ status: number; socket: ReturnType<typeof connect> }> {
  const p = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const s = connect(Number(p.port), p.hostname, () => s.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`));
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      s.off('data', onData);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), socket: s });
    };
    s.on('data', onData);
    s.on('error', reject);
  });
}

describe('EgressProxy / prepareEgress (real sockets)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-egress-'));
  let answers: Record<string, string[]> = {};
  const guard = new NetworkGuard(['127.0.0.3/32'], async (host) => (answers[host] ?? []).map((address) => ({ address, family: 4 })));
  const seen: Array<{ host?: string; path?: string }> = [];
  let cam: Server;
  let camPort = 0;
  let victimConnections = 0;
  let victim: Server;
  let victimPort = 0;

  beforeAll(async () => {
    cam = createHttpServer((req, res) => {
      seen.push({ host: req.headers.host, path: req.url });
      if (req.url === '/redirect') {
        res.writeHead(302, { location: `http://127.0.0.2:${victimPort}/x` });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('frame');
    });
    camPort = await listen(cam, '127.0.0.3');
    victim = createHttpServer((_req, res) => res.end('secret'));
    victim.on('connection', () => victimConnections++);
    victimPort = await listen(victim, '127.0.0.2');
  });

  afterAll(async () => {
    await new Promise((r) => cam.close(r));
    await new Promise((r) => victim.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    answers = { 'cam.test': ['127.0.0.3'] };
    seen.length = 0;
  });

  it('http: forwards to the checked address with the Host header unchanged; other origins 403; redirects 502', async () => {
    const proxy = await EgressProxy.open({ protocol: 'http:', hostname: 'cam.test', port: camPort }, guard);
    try {
      const ok = await viaProxy(proxy.url, `http://cam.test:${camPort}/video.mjpg`, `cam.test:${camPort}`);
      expect(ok).toEqual({ status: 200, body: 'frame' });
      expect(seen).toEqual([{ host: `cam.test:${camPort}`, path: '/video.mjpg' }]);
      // A segment or redirect target elsewhere: never contacted.
      expect((await viaProxy(proxy.url, `http://127.0.0.2:${victimPort}/seg.ts`, `127.0.0.2:${victimPort}`)).status).toBe(403);
      expect((await viaProxy(proxy.url, `http://cam.test:${camPort + 1}/x`, 'cam.test')).status).toBe(403);
      expect((await viaProxy(proxy.url, `https://cam.test:${camPort}/x`, 'cam.test')).status).toBe(403);
      expect((await viaProxy(proxy.url, `http://cam.test:${camPort}/redirect`, `cam.test:${camPort}`)).status).toBe(502);
      expect(victimConnections).toBe(0);
      // DNS rebinding: the name now points at a refused address -> refused at the next connection.
      answers['cam.test'] = ['127.0.0.1'];
      const rebound = await viaProxy(proxy.url, `http://cam.test:${camPort}/video.mjpg`, `cam.test:${camPort}`);
      expect(rebound.status).toBe(403);
      expect(rebound.body).toMatch(/127\.0\.0\.1 is a loopback address/);
    } finally {
      await proxy.close();
    }
  });

  it('https: CONNECT only to the origin, tunnelled to the checked address, SNI left to the client', async () => {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=cam.test'], { stdio: 'ignore' });
    const sni: string[] = [];
    const tls = createTlsServer({ key: readFileSync(key), cert: readFileSync(cert), SNICallback: (name, cb) => (sni.push(name), cb(null, undefined)) }, (s) => s.end('hello'));
    const tlsPort = await listen(tls, '127.0.0.3');
    const proxy = await EgressProxy.open({ protocol: 'https:', hostname: 'cam.test', port: tlsPort }, guard);
    try {
      const refused = await tunnel(proxy.url, `127.0.0.2:${victimPort}`);
      expect(refused.status).toBe(403);
      refused.socket.destroy();
      const { status, socket } = await tunnel(proxy.url, `cam.test:${tlsPort}`);
      expect(status).toBe(200);
      const text = await new Promise<string>((resolve, reject) => {
        const t = tlsConnect({ socket, servername: 'cam.test', rejectUnauthorized: false }, () => undefined);
        let got = '';
        t.on('data', (d: Buffer) => (got += d.toString()));
        t.on('end', () => resolve(got));
        t.on('error', reject);
      });
      expect(text).toBe('hello');
      expect(sni).toEqual(['cam.test']);
    } finally {
      await proxy.close();
      await new Promise((r) => tls.close(r));
    }
    expect(victimConnections).toBe(0);
  });

  it('prepareEgress: http gets a proxy (closed on release), rtsp the checked IP, a refused host throws', async () => {
    const http = await prepareEgress({ kind: 'url', url: `http://cam.test:${camPort}/v.mjpg` }, guard);
    expect(http.input).toMatchObject({ kind: 'url', url: `http://cam.test:${camPort}/v.mjpg`, proxyUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    const proxyUrl = (http.input as { proxyUrl: string }).proxyUrl;
    await http.release();
    await expect(viaProxy(proxyUrl, `http://cam.test:${camPort}/v.mjpg`, 'cam.test')).rejects.toThrow(/ECONNREFUSED/);
    const rtsp = await prepareEgress({ kind: 'url', url: 'rtsp://u:p@cam.test/s' }, guard);
    expect(rtsp.input).toMatchObject({ connectAddress: '127.0.0.3' });
    answers['cam.test'] = ['127.0.0.3', '127.0.0.1'];
    await expect(prepareEgress({ kind: 'url', url: 'rtsp://cam.test/s' }, guard)).rejects.toThrow(/refused: 127\.0\.0\.1 is a loopback/);
    const file = await prepareEgress({ kind: 'file', path: '/m/a.mp4', loop: true }, guard);
    expect(file.input).toEqual({ kind: 'file', path: '/m/a.mp4', loop: true });
  });
});
