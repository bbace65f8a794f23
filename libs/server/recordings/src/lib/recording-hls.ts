import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * HLS VOD of a finished recording, for players that seek by segment (hls.js / video.js VHS, Safari): ffmpeg's HLS
 * muxer cuts the clip's MP4 at its keyframes into segments of about VOD_TARGET_S (never between keyframes: a camera
 * with a 10 s GOP gets 10 s segments), stream copy, no re-encoding. Made on the first request (a fraction of a second
 * per minute of clip) into DATA_DIR/recordings/hls-cache/<recordingId>/ (written aside and renamed, so a half-made
 * playlist is never served), remade when the clip is newer, and bounded: the least recently used beyond
 * VOD_CACHE_MAX are deleted (and a recording's entry goes with its clip).
 */
export const VOD_TARGET_S = 4;
export const VOD_CACHE_MAX = 32;
const SEGMENT = /^\d{1,6}\.ts$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The VOD playlist as served: segment URIs `segments/<n>.ts` (relative to `<id>/index.m3u8`) carrying `query`. */
export function rewriteVodPlaylist(text: string, query: string): string {
  return text
    .split('\n')
    .map((l) => (l && !l.startsWith('#') && SEGMENT.test(l.trim()) ? `segments/${l.trim()}${query}` : l))
    .join('\n');
}

export function isVodSegmentName(name: string): boolean {
  return SEGMENT.test(name);
}

export class RecordingHlsCache {
  private readonly making = new Map<string, Promise<string>>();

  constructor(private readonly root: string, private readonly ffmpeg: string, private readonly max = VOD_CACHE_MAX) {}

  dirOf(recordingId: string): string {
    if (!UUID.test(recordingId)) throw new Error('recording id must be a uuid');
    return join(this.root, recordingId.toLowerCase());
  }

  /** The folder holding index.m3u8 and <n>.ts of the clip (made if missing or older than the clip). */
  async ensure(recordingId: string, mp4: string): Promise<string> {
    const dir = this.dirOf(recordingId);
    const [clip, index] = await Promise.all([stat(mp4), stat(join(dir, 'index.m3u8')).catch(() => null)]);
    if (index && index.mtimeMs >= clip.mtimeMs) {
      const now = new Date();
      await utimes(dir, now, now).catch(() => undefined);
      return dir;
    }
    let job = this.making.get(dir);
    if (!job) {
      job = this.make(dir, mp4).finally(() => this.making.delete(dir));
      this.making.set(dir, job);
    }
    return job;
  }

  async remove(recordingId: string): Promise<void> {
    if (UUID.test(recordingId)) await rm(this.dirOf(recordingId), { recursive: true, force: true });
  }

  private async make(dir: string, mp4: string): Promise<string> {
    await mkdir(this.root, { recursive: true });
    const tmp = `${dir}.part-${randomBytes(3).toString('hex')}`;
    await mkdir(tmp, { recursive: true });
    try {
      await new Promise<void>((resolve, reject) =>
        execFile(
          this.ffmpeg,
          ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', `file:${mp4}`, '-map', '0:v:0', '-c', 'copy', '-f', 'hls', '-hls_time', String(VOD_TARGET_S), '-hls_playlist_type', 'vod', '-hls_flags', 'independent_segments', '-hls_segment_filename', join(tmp, '%d.ts'), join(tmp, 'index.m3u8')],
          { timeout: 120_000 },
          (err, _out, stderr) => (err ? reject(new Error(`ffmpeg (HLS VOD) failed: ${String(stderr).trim().split('\n').pop() ?? err.message}`)) : resolve()),
        ),
      );
      await rm(dir, { recursive: true, force: true });
      await rename(tmp, dir);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    await this.evict(dir);
    return dir;
  }

  /** Deletes the least recently used entries beyond the bound (never `keep`). */
  private async evict(keep: string): Promise<void> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    const entries = (await Promise.all(names.filter((n) => UUID.test(n)).map(async (n) => ({ path: join(this.root, n), at: (await stat(join(this.root, n)).catch(() => null))?.mtimeMs ?? 0 }))))
      .filter((e) => e.path !== keep)
      .sort((a, b) => b.at - a.at);
    for (const e of entries.slice(Math.max(0, this.max - 1))) await rm(e.path, { recursive: true, force: true });
  }

  /** The playlist text of a made folder. */
  playlist(dir: string): Promise<string> {
    return readFile(join(dir, 'index.m3u8'), 'utf8');
  }
}
