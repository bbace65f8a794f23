import { resolve } from 'node:path';
import { assertNever, type SourceInput } from './source-input';

export interface FrameSize {
  width: number;
  height: number;
}

/** Downscale to at most `maxWidth` keeping the aspect ratio; never upscale; both sides even and >= 2. */
export function computeOutputSize(source: FrameSize, maxWidth: number): FrameSize {
  const { width, height } = source;
  if (!(width > 0 && height > 0)) throw new RangeError(`invalid source size ${width}x${height}`);
  if (!(maxWidth >= 2)) throw new RangeError(`maxWidth must be >= 2, got ${maxWidth}`);
  const w = Math.min(width, maxWidth);
  const h = (height * w) / width;
  return { width: even(w), height: even(h) };
}

function even(n: number): number {
  return Math.max(2, 2 * Math.floor(Math.round(n * 1000) / 1000 / 2));
}

/** The string ffmpeg/ffprobe open. Files get the `file:` protocol so a path can never be read as a URL/protocol. */
export function inputTarget(input: SourceInput): string {
  switch (input.kind) {
    case 'file':
      return `file:${resolve(input.path)}`;
    case 'url':
      return input.url;
    default:
      return assertNever(input);
  }
}

/** Protocol options shared by probe and decode: transport and a socket I/O timeout so a dead peer ends the process. */
export function protocolArgs(input: SourceInput, ioTimeoutMs: number): string[] {
  switch (input.kind) {
    case 'file':
      return [];
    case 'url': {
      const us = String(Math.max(1, Math.round(ioTimeoutMs)) * 1000);
      const scheme = input.url.slice(0, input.url.indexOf(':')).toLowerCase();
      // rtsp's `-timeout` is the socket timeout (µs); for rtmp `-timeout` means "listen", so use rw_timeout there.
      if (scheme === 'rtsp' || scheme === 'rtsps') return ['-rtsp_transport', input.transport ?? 'tcp', '-timeout', us];
      return ['-rw_timeout', us];
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
export function decodeArgs(input: SourceInput, opts: { fps: number; size: FrameSize; ioTimeoutMs: number }): DecodeArgs {
  const common = ['-hide_banner', '-nostdin', '-loglevel', 'error'];
  let pacing: string[];
  switch (input.kind) {
    case 'file':
      // -re: read at the native rate so a file behaves like a camera.
      pacing = ['-re', ...(input.loop ? ['-stream_loop', '-1'] : [])];
      break;
    case 'url':
      pacing = ['-fflags', 'nobuffer', '-flags', 'low_delay'];
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

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(6).replace(/0+$/, '');
}
