import type { CameraSourceType } from '@crowdsafe/contracts';
import { redactUrl } from '@crowdsafe/server-core';

/** A local video file, played in real time; `loop` restarts it at the end. */
export interface FileSourceInput {
  kind: 'file';
  path: string;
  loop: boolean;
}

/** A network stream: rtsp(s), http(s) (incl. HLS .m3u8), rtmp(s). Credentials may be in the URL. */
export interface UrlSourceInput {
  kind: 'url';
  url: string;
  /** RTSP lower transport; default tcp (survives NAT and packet loss better). */
  transport?: 'tcp' | 'udp';
  /**
   * Where this run connects, set by prepareEgress() right after the SSRF guard's check (see source-egress.ts):
   * `proxyUrl` = the loopback guarding proxy every http(s)/HLS request goes through; `connectAddress` = the checked
   * IP that an rtsp:// URL is opened at. Absent: ffmpeg resolves the host itself.
   */
  proxyUrl?: string;
  connectAddress?: string;
}

/** A local capture device (USB/V4L2 webcam), e.g. /dev/video0. */
export interface DeviceSourceInput {
  kind: 'device';
  device: string;
}

/**
 * What ffmpeg reads. A discriminated union so new kinds are added in one place; every switch over `kind` is
 * exhaustive and fails to compile until handled.
 */
export type SourceInput = FileSourceInput | UrlSourceInput | DeviceSourceInput;

/** V4L2 device nodes accepted for `usb` cameras. */
export const DEVICE_PATH = /^\/dev\/video([0-9]{1,3})$/;

/** URL schemes ffmpeg may open. Anything else (file:, concat:, subfile:, data:...) is refused. */
export const ALLOWED_URL_PROTOCOLS: readonly string[] = ['rtsp:', 'rtsps:', 'http:', 'https:', 'rtmp:', 'rtmps:'];

/** Throws an Error (credentials redacted) when the input cannot be used. */
export function assertValidSource(input: SourceInput): void {
  switch (input.kind) {
    case 'file':
      if (!input.path || input.path.includes('\0')) throw new Error(`invalid video file path: ${JSON.stringify(input.path)}`);
      return;
    case 'device':
      if (!DEVICE_PATH.test(input.device)) throw new Error(`invalid capture device ${JSON.stringify(input.device)} (expected /dev/videoN)`);
      return;
    case 'url': {
      let url: URL;
      try {
        url = new URL(input.url);
      } catch {
        // Not echoed: a malformed URL may still hold credentials that redaction would not recognise.
        throw new Error('invalid stream URL (not a parseable URL)');
      }
      if (!ALLOWED_URL_PROTOCOLS.includes(url.protocol)) {
        throw new Error(`unsupported stream URL scheme ${url.protocol} (allowed: ${ALLOWED_URL_PROTOCOLS.join(' ')})`);
      }
      return;
    }
    default:
      return assertNever(input);
  }
}

/** The camera source type shown to users (contracts' CameraSourceType). */
export function sourceTypeOf(input: SourceInput): CameraSourceType {
  switch (input.kind) {
    case 'file':
      return 'file';
    case 'device':
      return 'usb';
    case 'url': {
      const scheme = input.url.slice(0, input.url.indexOf(':')).toLowerCase();
      if (scheme.startsWith('rtsp')) return 'rtsp';
      if (scheme.startsWith('rtmp')) return 'rtmp';
      return /\.m3u8($|[?#])/i.test(input.url) ? 'hls' : 'http';
    }
    default:
      return assertNever(input);
  }
}

/** A printable name for the input: the path, or the URL with credentials removed. */
export function describeSource(input: SourceInput): string {
  switch (input.kind) {
    case 'file':
      return input.path;
    case 'device':
      return input.device;
    case 'url':
      return redactSecrets(input.url, input);
    default:
      return assertNever(input);
  }
}

/**
 * Remove credentials from any text about this input (ffmpeg stderr, error messages): URL userinfo anywhere, plus
 * literal occurrences of the URL's password (raw and percent-decoded) in case ffmpeg prints it outside a URL.
 */
export function redactSecrets(text: string, input: SourceInput): string {
  let out = redactUrl(text);
  for (const secret of secretsOf(input)) out = out.split(secret).join('***');
  return out;
}

/** The userinfo (`user:password`) of a `scheme://user:password@host/...` URL, or null when it has none. */
export function urlUserinfo(url: string): string | null {
  return /^[a-z][a-z0-9+.-]*:\/\/([^/@\s]+)@/i.exec(url)?.[1] ?? null;
}

function secretsOf(input: SourceInput): string[] {
  if (input.kind !== 'url') return [];
  const userinfo = urlUserinfo(input.url);
  if (!userinfo) return [];
  const password = userinfo.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : '';
  const candidates = [userinfo, safeDecode(userinfo), password, safeDecode(password)];
  // Very short strings would mangle unrelated text; redactUrl already covers them inside URLs.
  return [...new Set(candidates)].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function assertNever(x: never): never {
  throw new Error(`unhandled source input kind: ${String((x as { kind?: unknown }).kind)}`);
}
