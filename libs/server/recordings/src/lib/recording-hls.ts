import { execFile, spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/**
 * HLS VOD of a finished recording, for players that seek by segment (hls.js / video.js VHS, Safari): the clip's MP4
 * is cut at its keyframes into segments of at least TARGET_S (a segment cannot start between keyframes when the
 * stream is copied, so a camera with a 10 s GOP gets 10 s segments), each served as MPEG-TS by a short stream-copy
 * ffmpeg (no re-encoding; timestamps kept, so the segments follow each other). The keyframe index is read once per
 * clip file (ffprobe, packet flags only) and cached.
 */
export const VOD_TARGET_S = 4;
const CACHE_MAX = 64;

export interface VodSegment {
  /** Stream time (s) of its first keyframe, and its duration. */
  start: number;
  duration: number;
}

/** Segments from the keyframe times of a clip of `durationS` (from its first keyframe): consecutive GOPs merged up to >= targetS. */
export function vodSegments(keyframes: readonly number[], durationS: number, startS: number, targetS = VOD_TARGET_S): VodSegment[] {
  const end = startS + durationS;
  const keys = [...new Set(keyframes.filter((k) => Number.isFinite(k) && k < end - 0.01))].sort((a, b) => a - b);
  if (!keys.length || durationS <= 0) return durationS > 0 ? [{ start: startS, duration: durationS }] : [];
  const out: VodSegment[] = [];
  let segStart = keys[0];
  for (let i = 1; i < keys.length; i++) {
    if (keys[i] - segStart >= targetS - 1e-6) {
      out.push({ start: segStart, duration: keys[i] - segStart });
      segStart = keys[i];
    }
  }
  out.push({ start: segStart, duration: end - segStart });
  // A tail much shorter than the target joins the previous segment.
  if (out.length > 1 && out[out.length - 1].duration < 0.5) {
    const tail = out.pop()!;
    out[out.length - 1].duration += tail.duration;
  }
  return out;
}

/** The VOD playlist: relative segment URIs `segments/<n>.ts` plus `query` (the ticket). */
export function vodPlaylist(segments: readonly VodSegment[], query: string): string {
  const target = Math.max(1, Math.ceil(Math.max(0, ...segments.map((s) => s.duration)) - 1e-3));
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-INDEPENDENT-SEGMENTS', `#EXT-X-TARGETDURATION:${target}`, '#EXT-X-MEDIA-SEQUENCE:0'];
  segments.forEach((s, i) => lines.push(`#EXTINF:${s.duration.toFixed(3)},`, `segments/${i}.ts${query}`));
  lines.push('#EXT-X-ENDLIST', '');
  return lines.join('\n');
}

interface Indexed {
  mtimeMs: number;
  size: number;
  segments: VodSegment[];
}

/** Keyframe index per clip file (bounded cache keyed by path, invalidated by mtime/size). */
export class RecordingHlsIndex {
  private readonly cache = new Map<string, Indexed>();

  constructor(private readonly bins: { ffmpeg: string; ffprobe: string }) {}

  async segments(path: string): Promise<VodSegment[]> {
    const st = await stat(path);
    const hit = this.cache.get(path);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.segments;
    const { keyframes, durationS, startS } = await this.probe(path);
    const segments = vodSegments(keyframes, durationS, startS);
    this.cache.delete(path);
    this.cache.set(path, { mtimeMs: st.mtimeMs, size: st.size, segments });
    while (this.cache.size > CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    return segments;
  }

  /** One segment as MPEG-TS (stream copy, original timestamps). */
  stream(path: string, seg: VodSegment): { stdout: Readable; kill(): void; done: Promise<void> } {
    const child = spawn(
      this.bins.ffmpeg,
      // Seek just past the keyframe (the demuxer goes back to it), stop just before the next segment's keyframe.
      ['-hide_banner', '-nostdin', '-loglevel', 'error', '-ss', (seg.start + 0.001).toFixed(3), '-i', `file:${path}`, '-t', Math.max(0.001, seg.duration - 0.002).toFixed(3), '-copyts', '-map', '0:v:0', '-c', 'copy', '-f', 'mpegts', 'pipe:1'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-500)));
    const done = new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${err.trim().split('\n').pop() ?? ''}`))));
    });
    return { stdout: child.stdout, kill: () => child.kill('SIGKILL'), done };
  }

  private probe(path: string): Promise<{ keyframes: number[]; durationS: number; startS: number }> {
    return new Promise((resolve, reject) => {
      execFile(
        this.bins.ffprobe,
        ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags:format=duration,start_time', '-of', 'json', `file:${path}`],
        { timeout: 30_000, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout) => {
          if (err) return reject(err);
          const j = JSON.parse(String(stdout)) as { packets?: { pts_time?: string; flags?: string }[]; format?: { duration?: string; start_time?: string } };
          const pts = (j.packets ?? []).map((p) => Number(p.pts_time)).filter(Number.isFinite);
          const keyframes = (j.packets ?? []).filter((p) => p.flags?.includes('K')).map((p) => Number(p.pts_time)).filter(Number.isFinite);
          const startS = keyframes.length ? Math.min(...keyframes) : Number(j.format?.start_time ?? 0) || 0;
          const lastPts = pts.length ? Math.max(...pts) : startS;
          const fmtDur = Number(j.format?.duration ?? 0);
          // The clip's end from the container (start + duration) when known, else the last packet.
          const endS = fmtDur > 0 ? Math.max(lastPts, (Number(j.format?.start_time ?? 0) || 0) + fmtDur) : lastPts;
          resolve({ keyframes, durationS: Math.max(0, endS - startS), startS });
        },
      );
    });
  }
}
