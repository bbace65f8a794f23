import type { DensityCountPayload } from '@crowdsafe/contracts';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Checks a `density-count` payload as it arrives from a queue (another process may be older or newer): returns the
 * problems, each naming its field; empty = valid. Pure.
 */
export function densityCountPayloadProblems(data: unknown): string[] {
  if (!isObj(data)) return ['payload: expected an object'];
  const p: string[] = [];
  if (typeof data['cameraId'] !== 'string' || data['cameraId'].length === 0) p.push('cameraId: expected a non-empty string');
  const f = data['frame'];
  if (!isObj(f)) p.push('frame: expected a FrameRef');
  else {
    if (typeof f['key'] !== 'string' || f['key'].length === 0) p.push('frame.key: expected a non-empty string');
    if (typeof f['cameraId'] !== 'string') p.push('frame.cameraId: expected a string');
    else if (typeof data['cameraId'] === 'string' && f['cameraId'] !== data['cameraId']) p.push(`frame.cameraId: '${f['cameraId']}' is not the job's camera '${data['cameraId']}'`);
    if (!Number.isSafeInteger(f['seq'])) p.push('frame.seq: expected an integer');
    if (!finite(f['capturedAt'])) p.push('frame.capturedAt: expected epoch milliseconds');
    for (const k of ['width', 'height'] as const) if (!Number.isInteger(f[k]) || (f[k] as number) <= 0) p.push(`frame.${k}: expected a positive integer`);
  }
  const r = data['region'];
  if (r !== undefined) {
    if (!isObj(r) || !['x', 'y', 'width', 'height'].every((k) => finite(r[k]))) p.push('region: expected {x, y, width, height} in pixels');
    else {
      const { x, y, width, height } = r as { x: number; y: number; width: number; height: number };
      if (x < 0 || y < 0 || width < 8 || height < 8) p.push('region: x and y must be >= 0 and width/height >= 8 px');
      else if (isObj(f) && Number.isInteger(f['width']) && Number.isInteger(f['height']) && (x + width > (f['width'] as number) + 1e-6 || y + height > (f['height'] as number) + 1e-6)) {
        p.push(`region: ${width}x${height}+${x}+${y} is not inside the ${String(f['width'])}x${String(f['height'])} frame`);
      }
    }
  }
  const s = data['scale'];
  if (s !== undefined && !(finite(s) && s > 0 && s <= 8)) p.push('scale: expected a number in (0, 8]');
  const m = data['maxSide'];
  if (m !== undefined && !(Number.isInteger(m) && (m as number) >= 64 && (m as number) <= 8192)) p.push('maxSide: expected an integer in [64, 8192]');
  return p;
}

/** Throws a TypeError listing every problem (the job fails with that message); returns the payload typed. */
export function assertDensityCountPayload(data: unknown): DensityCountPayload {
  const p = densityCountPayloadProblems(data);
  if (p.length) throw new TypeError(`invalid density-count payload: ${p.join('; ')}`);
  return data as DensityCountPayload;
}
