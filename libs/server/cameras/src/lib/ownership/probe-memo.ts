import { createHash } from 'node:crypto';
import type Redis from 'ioredis';

/** What a camera start needs from a probe to decode without one: the source size and codec. */
export interface ProbeMemo {
  codec: string;
  width: number;
  height: number;
}

/** How long a remembered probe is trusted (a camera's source rarely changes; a changed one changes the fingerprint). */
export const PROBE_MEMO_TTL_S = 24 * 3600;

/** The source's identity: a remembered probe is used only while type, URL/path and options are unchanged. */
export function sourceFingerprint(camera: { sourceType: string; sourceUrl: string; sourceOptions?: unknown }): string {
  return createHash('sha256').update(JSON.stringify([camera.sourceType, camera.sourceUrl, camera.sourceOptions ?? null])).digest('hex').slice(0, 32);
}

/** Parses a stored memo; null when absent, for another source, or malformed. */
export function parseProbeMemo(raw: string | null, fingerprint: string): ProbeMemo | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as { f?: unknown; codec?: unknown; width?: unknown; height?: unknown };
    if (v.f !== fingerprint || typeof v.codec !== 'string') return null;
    const { width, height } = v;
    if (typeof width !== 'number' || typeof height !== 'number' || !(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) return null;
    return { codec: v.codec, width, height };
  } catch {
    return null;
  }
}

export function serializeProbeMemo(memo: ProbeMemo, fingerprint: string): string {
  return JSON.stringify({ f: fingerprint, codec: memo.codec, width: memo.width, height: memo.height });
}

/**
 * Probes remembered in Redis per camera (distributed mode), so that the node taking a camera over after a
 * fail-over decodes at once instead of running ffprobe first (seconds on a loaded host). Never throws: a miss or a
 * Redis failure means "probe as usual".
 */
export class ProbeMemos {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly timeoutMs = 500,
  ) {}

  async get(cameraId: string, fingerprint: string): Promise<ProbeMemo | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.timeoutMs)));
    try {
      return parseProbeMemo(await Promise.race([this.redis.get(this.key(cameraId)).catch(() => null), timeout]), fingerprint);
    } finally {
      clearTimeout(timer);
    }
  }

  remember(cameraId: string, fingerprint: string, memo: ProbeMemo): void {
    this.redis.set(this.key(cameraId), serializeProbeMemo(memo, fingerprint), 'EX', PROBE_MEMO_TTL_S).catch(() => undefined);
  }

  private key(cameraId: string): string {
    return `${this.prefix}:cameras:probe:${cameraId}`;
  }
}
