// Helpers for the ingest medium specs (real ffmpeg). Not part of the build (tsconfig excludes *.test-util.ts).
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { CameraStatus, RawFrame } from '@crowdsafe/contracts';
import type { FfmpegFrameSource, SourceStatus } from './ffmpeg-frame-source';

export const FFMPEG = '/usr/bin/ffmpeg';
export const FFPROBE = '/usr/bin/ffprobe';

/** shared/data: CROWDSAFE_SHARED_DATA (passed in by the spec) or <repo root>/../shared/data. */
export function sharedDataDir(fromEnv: string | undefined): string {
  return fromEnv ?? resolve(__dirname, '..', '..', '..', '..', '..', '..', '..', 'shared', 'data');
}

/** A small synthetic clip (ffmpeg testsrc, built-in mpeg4 encoder). */
export function makeClip(dir: string, name: string, opts: { seconds: number; width: number; height: number; fps: number }): string {
  const out = join(dir, name);
  const src = `testsrc=size=${opts.width}x${opts.height}:rate=${opts.fps}:duration=${opts.seconds}`;
  execFileSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', src, '-c:v', 'mpeg4', '-q:v', '5', out]);
  return out;
}

/** Poll until `check` returns true; rejects with `what` after timeoutMs. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Records everything a source emits. */
export function record(source: FfmpegFrameSource): { frames: RawFrame[]; statuses: SourceStatus[]; seen(...seq: CameraStatus[]): boolean } {
  const frames: RawFrame[] = [];
  const statuses: SourceStatus[] = [];
  source.onFrame((f) => frames.push(f));
  source.onStatus((s) => statuses.push(s));
  return {
    frames,
    statuses,
    /** True when `seq` appears in order (not necessarily adjacent) in the status history. */
    seen: (...seq) => {
      let i = 0;
      for (const s of statuses) if (s.status === seq[i] && ++i === seq.length) return true;
      return seq.length === 0;
    },
  };
}
