import { createServer, type IncomingHttpHeaders, request as httpRequest, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { DEFAULT_PORTS } from './camera-source';
import { type NetworkGuard, SourceRefusedError } from './network-guard';
import type { SourceInput } from './source-input';

/** Where a camera source may connect: its own scheme, host and port, nothing else. */
export interface EgressOrigin {
  protocol: 'http:' | 'https:';
  /** As the URL parser prints it (lower case; IPv6 in brackets). */
  hostname: string;
  port: number;
}

/** A source ready for one ffmpeg/ffprobe run, and what to release when that run has ended. */
export interface PreparedSource {
  input: SourceInput;
  release(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
const noop = async () => undefined;

/**
 * Runs the SSRF guard for a source and fixes where ffmpeg will connect, so that what ffmpeg reaches is exactly what
 * the guard checked:
 * - http/https/HLS: a loopback proxy (`-http_proxy`) for this run that accepts only the source's own origin and
 *   connects to the address it has just checked (see EgressProxy);
 * - rtsp: the URL is opened at the checked IP (RTSP has no Host header to keep);
 * - rtsps, rtmp, rtmps: checked here, but ffmpeg resolves the name again itself (TLS needs the name for SNI, RTMP
 *   puts the host in its connect command): a DNS answer that changes within that moment is not caught.
 * Files and devices pass unchanged.
 */
export async function prepareEgress(input: SourceInput, guard: NetworkGuard): Promise<PreparedSource> {
  if (input.kind !== 'url') return { input, release: noop };
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    throw new SourceRefusedError('invalid', 'invalid stream URL (not a parseable URL)');
  }
  const addresses = await guard.checkHost(url.hostname);
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    const proxy = await EgressProxy.open({ protocol: url.protocol, hostname: url.hostname, port: Number(url.port || DEFAULT_PORTS[url.protocol]) }, guard);
    return { input: { ...input, proxyUrl: proxy.url }, release: () => proxy.close() };
  }
  if (url.protocol === 'rtsp:' && addresses[0]) return { input: { ...input, connectAddress: addresses[0] }, release: noop };
  return { input, release: noop };
}

/**
 * A forward proxy on 127.0.0.1 (ephemeral port) for ONE ffmpeg run of an http(s) or HLS camera. ffmpeg sends every
 * request through it (`-http_proxy`; the HLS demuxer passes it on to playlist reloads and segments), and it:
 * - refuses (403) any request or CONNECT to another scheme, host or port than the camera's: HLS segments on other
 *   hosts are never fetched;
 * - resolves and checks the host with the SSRF guard at every connection and connects to exactly that address (no
 *   second lookup, so DNS rebinding cannot slip in), keeping the Host header (http) and SNI (https, end to end
 *   through the CONNECT tunnel) as they were;
 * - never passes a plain-HTTP redirect on (502), on top of ffmpeg's own `-max_redirects 0`.
 * It accepts connections from loopback only and is closed when the run ends.
 */
export class EgressProxy {
  private readonly sockets = new Set<Duplex>();
  private closed = false;

  private constructor(
    private readonly server: Server,
    readonly origin: EgressOrigin,
    readonly url: string,
  ) {}

  static async open(origin: EgressOrigin, guard: NetworkGuard, opts: { ioTimeoutMs?: number } = {}): Promise<EgressProxy> {
    const ioTimeoutMs = opts.ioTimeoutMs ?? 30_000;
    const server = createServer();
    const proxy: { self?: EgressProxy } = {};
    const sameOrigin = (protocol: string, hostname: string, port: number) =>
      protocol === origin.protocol && hostname.toLowerCase() === origin.hostname.toLowerCase() && port === origin.port;
    const checked = async (hostname: string): Promise<string> => {
      const [address] = await guard.checkHost(hostname);
      if (!address) throw new SourceRefusedError('unresolvable', `host ${hostname} cannot be resolved`);
      return address;
    };

    server.on('connection', (s: Socket) => {
      const peer = s.remoteAddress ?? '';
      if (peer !== '127.0.0.1' && peer !== '::ffff:127.0.0.1' && peer !== '::1') {
        s.destroy();
        return;
      }
      proxy.self?.track(s);
    });

    server.on('request', (req, res) => {
      const refuse = (status: number, message: string) => {
        if (res.headersSent) return void res.destroy(); // mid-stream: cut it, never append text to the media
        res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' });
        res.end(`${message}\n`);
      };
      let target: URL;
      try {
        target = new URL(req.url ?? '');
      } catch {
        return refuse(400, 'absolute-form request URI expected');
      }
      const port = Number(target.port || DEFAULT_PORTS[target.protocol] || 0);
      if (!sameOrigin(target.protocol, target.hostname, port)) return refuse(403, 'only the camera source origin may be reached');
      checked(target.hostname).then(
        (address) => {
          const headers: IncomingHttpHeaders = {};
          for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
          const upstream = httpRequest({ host: address, port, method: req.method, path: `${target.pathname}${target.search}`, headers, setHost: false, agent: false });
          upstream.setTimeout(ioTimeoutMs, () => upstream.destroy(new Error('timeout')));
          upstream.on('response', (up) => {
            const status = up.statusCode ?? 502;
            if (status >= 300 && status < 400) {
              up.resume();
              upstream.destroy();
              return refuse(502, 'the camera answered with a redirect; redirects are not followed');
            }
            const out: Record<string, string | string[]> = {};
            for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
            res.writeHead(status, up.statusMessage, out);
            up.pipe(res);
          });
          upstream.on('error', () => refuse(502, 'camera connection failed'));
          res.on('close', () => upstream.destroy());
          req.pipe(upstream);
        },
        (err: unknown) => refuse(403, err instanceof SourceRefusedError ? err.message : 'refused'),
      );
    });

    server.on('connect', (req, client: Duplex, head: Buffer) => {
      proxy.self?.track(client);
      const refuse = (status: number, text: string) => {
        client.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      };
      let target: URL;
      try {
        target = new URL(`https://${req.url ?? ''}`);
      } catch {
        return refuse(400, 'Bad Request');
      }
      const port = Number(target.port || 443);
      if (!sameOrigin('https:', target.hostname, port)) return refuse(403, 'Forbidden');
      client.on('error', () => undefined);
      checked(target.hostname).then(
        (address) => {
          const upstream = connect({ host: address, port });
          proxy.self?.track(upstream);
          upstream.setTimeout(ioTimeoutMs, () => upstream.destroy());
          upstream.on('connect', () => {
            client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
            if (head.length) upstream.write(head);
            upstream.pipe(client);
            client.pipe(upstream);
          });
          upstream.on('error', () => refuse(502, 'Bad Gateway'));
          upstream.on('close', () => client.destroy());
          client.on('close', () => upstream.destroy());
        },
        () => refuse(403, 'Forbidden'),
      );
    });

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as { port: number };
    proxy.self = new EgressProxy(server, origin, `http://127.0.0.1:${port}`);
    return proxy.self;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(s: Duplex): void {
    if (this.closed) {
      s.destroy();
      return;
    }
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
  }
}
