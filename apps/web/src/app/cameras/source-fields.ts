import type { CameraSourceType } from '@crowdsafe/contracts';

export interface SourceKind {
  type: CameraSourceType;
  label: string;
  /** Label of the URL/path/device field. */
  field: string;
  placeholder: string;
  hint: string;
  credentials: boolean;
}

export const SOURCE_KINDS: readonly SourceKind[] = [
  { type: 'rtsp', label: 'RTSP (IP camera)', field: 'RTSP URL', placeholder: 'rtsp://192.168.1.20:554/stream1', hint: 'rtsp:// or rtsps://; credentials go in the fields below, not in the URL.', credentials: true },
  { type: 'http', label: 'HTTP / MJPEG', field: 'Stream URL', placeholder: 'http://192.168.1.21/mjpeg', hint: 'An http(s) MJPEG or video stream.', credentials: true },
  { type: 'hls', label: 'HLS', field: 'Playlist URL', placeholder: 'https://example.org/live/stream.m3u8', hint: 'An http(s) .m3u8 playlist.', credentials: true },
  { type: 'rtmp', label: 'RTMP', field: 'RTMP URL', placeholder: 'rtmp://192.168.1.22/live/cam', hint: 'rtmp:// or rtmps://', credentials: true },
  { type: 'file', label: 'Video file', field: 'File path', placeholder: 'media/sample.mp4', hint: 'MP4/AVI/MOV inside the server’s media directory.', credentials: false },
  { type: 'usb', label: 'USB / V4L2 webcam', field: 'Device', placeholder: '/dev/video0', hint: 'A V4L2 device on the server (/dev/videoN).', credentials: false },
];

export function sourceKind(type: CameraSourceType): SourceKind {
  return SOURCE_KINDS.find((k) => k.type === type) ?? SOURCE_KINDS[0];
}

/** Client-side hint only: the server validates (scheme, shape, SSRF, media dir) and its message wins. */
export function sourceHint(type: CameraSourceType, url: string): string | null {
  const v = url.trim();
  if (!v) return `${sourceKind(type).field} is required`;
  if (v.length > 2048) return 'At most 2048 characters';
  const schemes: Partial<Record<CameraSourceType, RegExp>> = {
    rtsp: /^rtsps?:\/\/[^\s/]+/i,
    http: /^https?:\/\/[^\s/]+/i,
    hls: /^https?:\/\/[^\s/]+/i,
    rtmp: /^rtmps?:\/\/[^\s/]+/i,
  };
  const re = schemes[type];
  if (re && !re.test(v)) return `Must start with ${type === 'hls' || type === 'http' ? 'http:// or https://' : `${type}://`} and name a host`;
  if (type === 'usb' && !/^(\/dev\/video\d{1,3}|\d{1,3})$/.test(v)) return 'A device like /dev/video0 (or its number)';
  return null;
}

/** Service-level messages that do not name the field (e.g. "unsupported scheme ftp:", "file not found"). */
const KEYWORDS: Record<string, RegExp> = {
  sourceUrl: /\b(source|scheme|url|file|path|media|host|device|ssrf|network|unreachable|resolv|refused|probe|credentials)\b/i,
  name: /\b(name (is )?(already )?taken|already exists)\b/i,
  targetFps: /\bfps\b/i,
  calibrationData: /\bcalibration\b/i,
};

/**
 * Maps server validation messages (class-validator "name must be ...", or analytics paths "points[2].world: ...") to
 * the form field they are about. Unmatched messages are returned under ''.
 */
export function fieldErrors(messages: readonly string[], fields: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of messages) {
    const lower = m.toLowerCase();
    const f =
      fields.find((name) => lower.startsWith(name.toLowerCase() + ' ') || lower.startsWith(name.toLowerCase() + ':') || lower.startsWith(name.toLowerCase() + '.') || lower.startsWith(name.toLowerCase() + '[')) ??
      fields.find((name) => new RegExp(`\\b${name}\\b`, 'i').test(m)) ??
      Object.entries(KEYWORDS).find(([name, re]) => fields.includes(name) && re.test(m))?.[0] ??
      '';
    (out[f] ??= []).push(m);
  }
  return out;
}
