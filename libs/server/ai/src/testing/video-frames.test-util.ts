// Test helpers (excluded from the build): locate the shared test data and decode real frames with ffmpeg.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { RawFrame } from '@crowdsafe/contracts';

export const REPO_ROOT = resolve(__dirname, '../../../../..');

/** The shared test-data folder: `envValue` (CROWDSAFE_SHARED_DATA) or <repo>/../shared/data. */
export function sharedDataDir(envValue: string | undefined): string {
  return envValue ? resolve(envValue) : resolve(REPO_ROOT, '..', 'shared', 'data');
}

function run(cmd: string, args: string[]): Promise<Buffer> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0 ? ok(Buffer.concat(out)) : fail(new Error(`${cmd} exited ${code}: ${Buffer.concat(err).toString().slice(-500)}`)),
    );
  });
}

/**
 * Decode `count` RGB24 frames of a video (every `every`-th frame from the start) with the real ffmpeg.
 * Frames come back as RawFrames of camera `cameraId` with seq = 1, 2, ...
 */
export async function decodeFrames(
  video: string,
  opts: { count: number; every?: number; cameraId?: string; ffmpeg?: string; ffprobe?: string },
): Promise<RawFrame[]> {
  const probe = (
    await run(opts.ffprobe ?? '/usr/bin/ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', video])
  )
    .toString()
    .trim();
  const [width, height] = probe.split(',').map(Number);
  if (!(width > 0 && height > 0)) throw new Error(`ffprobe could not read the size of ${video}: '${probe}'`);
  const every = opts.every ?? 1;
  const raw = await run(opts.ffmpeg ?? '/usr/bin/ffmpeg', [
    '-v', 'error', '-i', video,
    '-vf', `select=not(mod(n\\,${every}))`, '-fps_mode', 'passthrough',
    '-frames:v', String(opts.count), '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-',
  ]);
  const size = width * height * 3;
  if (raw.length !== size * opts.count) throw new Error(`ffmpeg gave ${raw.length} bytes, expected ${opts.count} frames of ${size}`);
  const now = Date.now();
  return Array.from({ length: opts.count }, (_, i) => ({
    cameraId: opts.cameraId ?? 'cam-test',
    seq: i + 1,
    capturedAt: now + i,
    width,
    height,
    // A copy per frame so each owns its buffer (like frames from a camera pipeline).
    data: new Uint8Array(raw.subarray(i * size, (i + 1) * size)),
  }));
}
