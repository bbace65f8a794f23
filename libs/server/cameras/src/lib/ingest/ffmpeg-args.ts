import { resolve } from 'node:path';
import { assertNever, type SourceInput } from './source-input';

export interface FrameSize {
  width: number;
  height: number;
}

/**
 * Downscale to fit in `maxWidth` (and `maxHeight` when given) keeping the aspect ratio; never upscale; both sides
 * even and >= 2.
 */
export function computeOutputSize(source: FrameSize, maxWidth: number, maxHeight?: number | null): FrameSize {
  const { width, height } = source;
  if (!(width > 0 && height > 0)) throw new RangeError(`invalid source size ${width}x${height}`);
  if (!(maxWidth >= 2)) throw new RangeError(`maxWidth must be >= 2, got ${maxWidth}`);
  if (maxHeight !== undefined && maxHeight !== null && !(maxHeight >= 2)) throw new RangeError(`maxHeight must be >= 2, got ${maxHeight}`);
  const scale = Math.min(1, maxWidth / width, maxHeight ? maxHeight / height : 1);
  return { width: even(width * scale), height: even(height * scale) };
}

function even(n: number): number {
  return Math.max(2, 2 * Math.floor(Math.round(n * 1000) / 1000 / 2));
}

/** The string ffmpeg/ffprobe open. Files get the `file:` protocol so a path can never be read as a URL/protocol. */
export function inputTarget(input: SourceInput): string {
  switch (input.kind) {
    case 'file':
      return `file:${resolve(input.path)}`;
    case 'device':
      return input.device;
    case 'url':
      return input.connectAddress ? withHost(input.url, input.connectAddress) : input.url;
    default:
      return assertNever(input);
  }
}

/** The URL with its host replaced by an IP address (IPv6 in brackets); user info, port, path and query kept. */
export function withHost(raw: string, address: string): string {
  const u = new URL(raw);
  const userinfo = u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@` : '';
  const host = address.includes(':') ? `[${address}]` : address;
  return `${u.protocol}//${userinfo}${host}${u.port ? `:${u.port}` : ''}${u.pathname}${u.search}`;
}

/**
 * The only protocols ffmpeg may open for a network source (`-protocol_whitelist`, inherited by every nested open:
 * HLS playlists and segments, redirects). Nothing reads local files (`file:`), pipes, `concat:`, `subfile:` or `data:`.
 */
export function protocolWhitelist(url: string): string {
  const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
  if (scheme === 'rtsp' || scheme === 'rtsps') return 'rtsp,rtsps,rtp,udp,tcp,tls';
  if (scheme === 'rtmp' || scheme === 'rtmps') return 'rtmp,rtmps,tcp,tls';
  // http(s) and HLS (+ AES-128 segments: crypto); httpproxy = the CONNECT tunnel to the guarding proxy for https.
  return 'http,https,tcp,tls,httpproxy,crypto';
}

/** Protocol options shared by probe and decode: transport and a socket I/O timeout so a dead peer ends the process. */
export function protocolArgs(input: SourceInput, ioTimeoutMs: number): string[] {
  switch (input.kind) {
    case 'file':
      return [];
    case 'device':
      return ['-f', 'v4l2'];
    case 'url': {
      const us = String(Math.max(1, Math.round(ioTimeoutMs)) * 1000);
      const scheme = input.url.slice(0, input.url.indexOf(':')).toLowerCase();
      // rtsp's `-timeout` is the socket timeout (µs); for rtmp `-timeout` means "listen", so use rw_timeout there.
      // Live streams: analyse 0.5 s / 1 MB before the first frame instead of ffmpeg's 5 s (faster (re)connects).
      const live = ['-analyzeduration', '500000', '-probesize', '1000000'];
      const whitelist = ['-protocol_whitelist', protocolWhitelist(input.url)];
      if (scheme === 'rtsp' || scheme === 'rtsps') return [...whitelist, '-rtsp_transport', input.transport ?? 'tcp', '-timeout', us, ...live];
      if (scheme === 'http' || scheme === 'https') {
        // No redirects (a camera that answers 3xx is refused, never followed to another address), and every request
        // (HLS segments included) through the guarding proxy when one is set.
        return [...whitelist, '-max_redirects', '0', ...(input.proxyUrl ? ['-http_proxy', input.proxyUrl] : []), '-rw_timeout', us, ...live];
      }
      return [...whitelist, '-rw_timeout', us, ...live];
    }
    default:
      return assertNever(input);
  }
}

/** ffprobe options (before the input). */
export function probeArgs(input: SourceInput, timeoutMs: number): string[] {
  return ['-hide_banner', '-loglevel', 'error', ...protocolArgs(input, timeoutMs)];
}

export interface DecodeArgs {
  /** Options placed before `-i`. */
  inputOptions: string[];
  /** The `-i` argument. */
  input: string;
  /** Options after `-i`; the output itself is stdout (pipe:1). */
  outputOptions: string[];
}

/** ffmpeg arguments that decode the first video stream to packed RGB24 frames of `size` at `fps` on stdout. */
export function decodeArgs(input: SourceInput, opts: { fps: number; size: FrameSize; ioTimeoutMs: number; codec?: string }): DecodeArgs {
  const common = ['-hide_banner', '-nostdin', '-loglevel', 'error'];
  let pacing: string[];
  switch (input.kind) {
    case 'file':
      // -re: read at the native rate so a file behaves like a camera.
      pacing = ['-re', ...(input.loop ? ['-stream_loop', '-1'] : [])];
      break;
    case 'device':
      pacing = ['-fflags', 'nobuffer', '-thread_queue_size', '64'];
      break;
    case 'url':
      pacing = ['-fflags', 'nobuffer', '-flags', 'low_delay', ...(untimedMjpeg(input.url, opts.codec) ? ['-use_wallclock_as_timestamps', '1'] : [])];
      break;
    default:
      return assertNever(input);
  }
  const { width, height } = opts.size;
  return {
    inputOptions: [...common, ...pacing, ...protocolArgs(input, opts.ioTimeoutMs)],
    input: inputTarget(input),
    outputOptions: [
      '-map', '0:v:0', '-an', '-sn', '-dn',
      // fps before scale: frames that the fps filter drops are never scaled.
      '-vf', `fps=${formatNumber(opts.fps)},scale=${width}:${height}:flags=area`,
      '-pix_fmt', 'rgb24',
      '-f', 'rawvideo',
    ],
  };
}

/**
 * An MJPEG stream over HTTP (multipart/x-mixed-replace, most IP cameras' "video.cgi") carries no timestamps: ffmpeg
 * then stamps it at 25 fps, so the fps filter keeps only fps/25 of a slower camera's frames (4 of 10 at 10 fps)
 * unless frames are stamped with their arrival time. RTSP carries RTP timestamps and keeps them.
 */
export function untimedMjpeg(url: string, codec: string | undefined): boolean {
  return codec === 'mjpeg' && /^https?:/i.test(url);
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(6).replace(/0+$/, '');
}
