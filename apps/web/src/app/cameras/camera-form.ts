import { signal } from '@angular/core';
import type { CameraSourceType } from '@crowdsafe/contracts';
import type { CameraDetail, CameraInput, CameraSourceInput } from '@crowdsafe/web-data-access';
import { sourceHint, sourceKind } from './source-fields';

/** Editable camera fields as signals (shared by the wizard and the edit modal). */
export class CameraForm {
  readonly name = signal('');
  readonly location = signal('');
  readonly sourceType = signal<CameraSourceType>('rtsp');
  readonly sourceUrl = signal('');
  readonly username = signal('');
  readonly password = signal('');
  readonly transport = signal<'tcp' | 'udp'>('tcp');
  readonly loop = signal(true);
  readonly targetFps = signal<number | null>(5);
  readonly width = signal<number | null>(null);
  readonly height = signal<number | null>(null);
  readonly capacity = signal<number | null>(null);
  readonly latitude = signal<number | null>(null);
  readonly longitude = signal<number | null>(null);
  readonly isActive = signal(true);

  static from(c: CameraDetail): CameraForm {
    const f = new CameraForm();
    f.name.set(c.name);
    f.location.set(c.location ?? '');
    f.sourceType.set(c.sourceType);
    f.sourceUrl.set(c.sourceUrl);
    f.transport.set(c.sourceOptions['transport'] === 'udp' ? 'udp' : 'tcp');
    f.loop.set(c.sourceOptions['loop'] !== false);
    f.targetFps.set(c.targetFps);
    f.width.set(c.resolutionWidth);
    f.height.set(c.resolutionHeight);
    f.capacity.set(c.capacity);
    f.latitude.set(c.latitude);
    f.longitude.set(c.longitude);
    f.isActive.set(c.isActive);
    return f;
  }

  source(): CameraSourceInput {
    const t = this.sourceType();
    const s: CameraSourceInput = { sourceType: t, sourceUrl: withCredentials(this.sourceUrl().trim(), t, this.username(), this.password()) };
    if (t === 'rtsp') s.sourceOptions = { transport: this.transport() };
    if (t === 'file') s.sourceOptions = { loop: this.loop() };
    return s;
  }

  input(): CameraInput {
    const i: CameraInput = {
      ...this.source(),
      name: this.name().trim(),
      location: this.location().trim() || null,
      isActive: this.isActive(),
    };
    if (this.targetFps() !== null) i.targetFps = Number(this.targetFps());
    i.resolutionWidth = this.width() ?? null;
    i.resolutionHeight = this.height() ?? null;
    i.capacity = this.capacity() ?? null;
    i.latitude = this.latitude() ?? null;
    i.longitude = this.longitude() ?? null;
    return i;
  }

  /** Client-side hints per field (the server re-validates; its messages are shown on the same fields). */
  basicHints(): Record<string, string> {
    const h: Record<string, string> = {};
    const n = this.name().trim();
    if (!n) h['name'] = 'Name is required';
    else if (n.length > 128) h['name'] = 'At most 128 characters';
    if (this.location().length > 255) h['location'] = 'At most 255 characters';
    const cap = this.capacity();
    if (cap !== null && (!Number.isInteger(cap) || cap < 1 || cap > 1_000_000)) h['capacity'] = 'A whole number of people, 1 – 1,000,000';
    const lat = this.latitude();
    const lon = this.longitude();
    if (lat !== null && !(lat >= -90 && lat <= 90)) h['latitude'] = 'Latitude: -90 to 90 degrees';
    if (lon !== null && !(lon >= -180 && lon <= 180)) h['longitude'] = 'Longitude: -180 to 180 degrees';
    if ((lat === null) !== (lon === null)) h[lat === null ? 'latitude' : 'longitude'] = 'Give both latitude and longitude, or neither';
    return h;
  }

  connectionHints(): Record<string, string> {
    const h: Record<string, string> = {};
    const s = sourceHint(this.sourceType(), this.sourceUrl());
    if (s) h['sourceUrl'] = s;
    const fps = this.targetFps();
    if (fps === null || !(fps >= 0.1 && fps <= 30)) h['targetFps'] = 'Target FPS must be between 0.1 and 30';
    for (const [k, v, max] of [['resolutionWidth', this.width(), 7680], ['resolutionHeight', this.height(), 4320]] as const) {
      const min = k === 'resolutionWidth' ? 160 : 90;
      if (v !== null && (!Number.isInteger(v) || v < min || v > max)) h[k] = `Between ${min} and ${max} pixels, or empty for the default`;
    }
    if (this.username().length > 128) h['username'] = 'At most 128 characters';
    if (this.password().length > 256) h['password'] = 'At most 256 characters';
    return h;
  }
}

export const CAMERA_FIELDS = [
  'name', 'location', 'sourceType', 'sourceUrl', 'username', 'password', 'transport', 'loop', 'targetFps',
  'resolutionWidth', 'resolutionHeight', 'capacity', 'latitude', 'longitude', 'isActive', 'calibrationData', 'zones',
] as const;

/**
 * The API takes credentials inside the URL (stored encrypted, returned redacted as ***). Typed credentials replace
 * any in the URL; without typed credentials the URL is sent as is (a redacted URL sent back unchanged keeps them).
 */
export function withCredentials(url: string, type: CameraSourceType, username: string, password: string): string {
  if (!sourceKind(type).credentials || (!username && !password)) return url;
  const m = /^([a-z][a-z0-9+.-]*:\/\/)(?:[^@/]*@)?(.*)$/i.exec(url);
  if (!m) return url;
  const auth = encodeURIComponent(username) + (password ? ':' + encodeURIComponent(password) : '');
  return `${m[1]}${auth}@${m[2]}`;
}
