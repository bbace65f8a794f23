import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { CameraSourceType } from '@crowdsafe/contracts';
import { redactUrl } from '@crowdsafe/server-core';
import { DEVICE_PATH, type SourceInput } from './source-input';

/** A camera's source is unusable; `message` is safe to return (credentials are never echoed). */
export class SourceInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceInputError';
  }
}

/** The per-camera ingestion options stored in CameraRecord.sourceOptions. */
export interface CameraSourceOptions {
  /** file: restart at the end (default true). */
  loop?: boolean;
  /** rtsp: lower transport (default tcp). */
  transport?: 'tcp' | 'udp';
  /** Process every N-th decoded frame (1..100; default CAMERA_FRAME_SKIP). */
  frameSkip?: number;
}

export const MAX_SOURCE_URL_LENGTH = 2048;
export const MAX_FRAME_SKIP = 100;

/** URL schemes accepted per network source type. */
export const SCHEMES_BY_TYPE: Readonly<Record<'rtsp' | 'http' | 'hls' | 'rtmp', readonly string[]>> = {
  rtsp: ['rtsp:', 'rtsps:'],
  http: ['http:', 'https:'],
  hls: ['http:', 'https:'],
  rtmp: ['rtmp:', 'rtmps:'],
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates stored/posted sourceOptions (unknown keys refused so a typo is not silently ignored). */
export function parseSourceOptions(raw: unknown): CameraSourceOptions {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw new SourceInputError('sourceOptions must be an object');
  const out: CameraSourceOptions = {};
  for (const [key, value] of Object.entries(raw)) {
    switch (key) {
      case 'loop':
        if (typeof value !== 'boolean') throw new SourceInputError('sourceOptions.loop must be a boolean');
        out.loop = value;
        break;
      case 'transport':
        if (value !== 'tcp' && value !== 'udp') throw new SourceInputError("sourceOptions.transport must be 'tcp' or 'udp'");
        out.transport = value;
        break;
      case 'frameSkip':
        if (!(typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_FRAME_SKIP)) {
          throw new SourceInputError(`sourceOptions.frameSkip must be an integer from 1 to ${MAX_FRAME_SKIP}`);
        }
        out.frameSkip = value;
        break;
      default:
        throw new SourceInputError(`sourceOptions.${key.slice(0, 40)} is not a known option (loop, transport, frameSkip)`);
    }
  }
  return out;
}

/**
 * A camera's (sourceType, sourceUrl, sourceOptions) -> the ffmpeg input, checking the URL's scheme and shape per
 * type. File paths are taken as given here: confine them with resolveMediaFile() first.
 */
export function cameraSourceInput(sourceType: CameraSourceType, sourceUrl: string, rawOptions?: unknown): SourceInput {
  const options = parseSourceOptions(rawOptions);
  if (typeof sourceUrl !== 'string' || !sourceUrl) throw new SourceInputError('sourceUrl is required');
  if (sourceUrl.length > MAX_SOURCE_URL_LENGTH) throw new SourceInputError(`sourceUrl is longer than ${MAX_SOURCE_URL_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(sourceUrl)) throw new SourceInputError('sourceUrl contains control characters');
  switch (sourceType) {
    case 'file':
      return { kind: 'file', path: sourceUrl, loop: options.loop ?? true };
    case 'usb': {
      const device = /^[0-9]{1,3}$/.test(sourceUrl) ? `/dev/video${sourceUrl}` : sourceUrl;
      if (!DEVICE_PATH.test(device)) throw new SourceInputError('a usb camera source must be a V4L2 device (/dev/videoN) or its number N');
      return { kind: 'device', device };
    }
    case 'rtsp':
    case 'http':
    case 'hls':
    case 'rtmp':
      return { kind: 'url', url: checkUrl(sourceType, sourceUrl), ...(sourceType === 'rtsp' && options.transport ? { transport: options.transport } : {}) };
    default:
      throw new SourceInputError(`unknown sourceType ${JSON.stringify(String(sourceType)).slice(0, 40)}`);
  }
}

function checkUrl(type: keyof typeof SCHEMES_BY_TYPE, raw: string): string {
  if (/\s/.test(raw)) throw new SourceInputError(`sourceUrl: malformed ${type} URL: contains whitespace`);
  // A backslash is a path separator to the URL parser the SSRF guard uses but plain text to ffmpeg
  // ('http://public\\@127.0.0.1/' = host "public" for one, 127.0.0.1 for the other): refused outright.
  if (raw.includes('\\')) throw new SourceInputError(`sourceUrl: a ${type} URL may not contain a backslash (\\)`);
  const schemes = SCHEMES_BY_TYPE[type];
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1]?.toLowerCase();
  if (!scheme) throw new SourceInputError(`sourceUrl: malformed ${type} URL: expected ${schemes.map((s) => `${s}//host/...`).join(' or ')}`);
  if (!schemes.includes(`${scheme}:`)) {
    throw new SourceInputError(`sourceUrl: unsupported scheme ${scheme}: for a ${type} source (allowed: ${schemes.join(' ')})`);
  }
  if (!raw.slice(scheme.length + 1).startsWith('//')) throw new SourceInputError(`sourceUrl: malformed ${type} URL: expected ${scheme}://host/...`);
  // Parsers disagree on which '@' ends the user name and password: one '@' at most in the authority.
  const authority = raw.slice(scheme.length + 3).split(/[/?#]/, 1)[0] ?? '';
  if (authority.indexOf('@') !== authority.lastIndexOf('@')) {
    throw new SourceInputError(`sourceUrl: an '@' inside the user name or password of a ${type} URL must be written %40`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not echoed: a malformed URL may hold credentials that redaction would not recognise.
    throw new SourceInputError(`sourceUrl: malformed ${type} URL (not a parseable URL)`);
  }
  if (!url.hostname) throw new SourceInputError(`sourceUrl: malformed ${type} URL: no host`);
  if (url.port && !(Number(url.port) >= 1 && Number(url.port) <= 65535)) throw new SourceInputError(`sourceUrl: malformed ${type} URL: bad port`);
  if (url.hash) throw new SourceInputError(`sourceUrl: malformed ${type} URL: a #fragment is not allowed (${redactUrl(`${url.protocol}//${url.host}`)})`);
  if (type === 'rtmp' && url.pathname.length <= 1) throw new SourceInputError('sourceUrl: malformed rtmp URL: expected rtmp://host/app/stream');
  // ffmpeg gets exactly the URL the guard checks: the parser's own serialisation, not the text as sent.
  return url.href;
}

/** scheme://host:port of a network URL (default port filled in), to compare where two URLs connect. */
export function urlOrigin(raw: string): string | null {
  try {
    const u = new URL(raw);
    const port = u.port || String(DEFAULT_PORTS[u.protocol] ?? '');
    return `${u.protocol}//${u.hostname.toLowerCase()}:${port}`;
  } catch {
    return null;
  }
}

/** Default port per network scheme. */
export const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'rtsp:': 554, 'rtsps:': 322, 'http:': 80, 'https:': 443, 'rtmp:': 1935, 'rtmps:': 443 };

/**
 * A `file` source's path -> its real path, which must be a regular file inside one of `mediaDirs` (relative paths
 * are taken from the first). Symlinks are resolved first, so neither `..` nor a symlink can escape. `trustedFiles`
 * (operator configuration, e.g. SAMPLE_VIDEO) are accepted wherever their real path lies.
 */
export async function resolveMediaFile(path: string, mediaDirs: readonly string[], trustedFiles: readonly string[] = []): Promise<string> {
  if (!mediaDirs.length) throw new SourceInputError('no media directory is configured (MEDIA_DIR)');
  if (!path || path.includes('\0')) throw new SourceInputError('invalid file path');
  const candidate = isAbsolute(path) ? path : resolve(mediaDirs[0], path);
  const roots: string[] = [];
  for (const dir of mediaDirs) roots.push(await realpath(dir).catch(() => resolve(dir)));
  const trusted: string[] = [];
  for (const f of trustedFiles) trusted.push(await realpath(f).catch(() => resolve(f)));
  // One answer for every path outside the media directories, whether it exists, is a directory or is unreadable:
  // the answer must not tell a caller what exists elsewhere on the server.
  const outside = new SourceInputError(`file ${path} is outside the media directories (MEDIA_DIR, CAMERA_MEDIA_DIRS)`);
  const lexicallyInside = roots.some((root) => isInside(candidate, root)) || mediaDirs.some((dir) => isInside(candidate, resolve(dir)));
  let real: string;
  try {
    real = await realpath(candidate);
  } catch (err) {
    if (!lexicallyInside && !trusted.includes(resolve(candidate))) throw outside;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new SourceInputError(`video file not found: ${path}`);
    throw new SourceInputError(`cannot read video file ${path}: ${code ?? 'error'}`);
  }
  if (!roots.some((root) => isInside(real, root)) && !trusted.includes(real)) throw outside;
  const st = await stat(real);
  if (!st.isFile()) throw new SourceInputError(`not a regular file: ${path}`);
  return real;
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}
