import { execFile } from 'node:child_process';
import { rename, stat, unlink, writeFile } from 'node:fs/promises';
import type { ClipPlan } from './segment-plan';

export interface AssembledClip {
  bytes: number;
  durationS: number;
  codec: string;
  width: number;
  height: number;
  /** The thumbnail was written. */
  thumbnail: boolean;
}

function run(bin: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${bin} failed: ${(String(stderr).trim().split('\n').pop() ?? '') || err.message}`));
      else resolve(String(stdout));
    });
  });
}

/** ffprobe: first video stream's codec, size, the container's duration and start time. */
export async function probeMedia(ffprobe: string, path: string): Promise<{ codec: string; width: number; height: number; durationS: number; startS: number }> {
  const out = await run(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height:format=duration,start_time', '-of', 'json', `file:${path}`], 20_000);
  const j = JSON.parse(out) as { streams?: { codec_name?: string; width?: number; height?: number }[]; format?: { duration?: string; start_time?: string } };
  const s = j.streams?.[0];
  if (!s?.codec_name) throw new Error(`no video stream in ${path}`);
  return { codec: s.codec_name, width: s.width ?? 0, height: s.height ?? 0, durationS: Number(j.format?.duration ?? 0), startS: Number(j.format?.start_time ?? 0) };
}

/**
 * Assembles a clip from MPEG-TS segments without re-encoding: ffmpeg's concat demuxer (in/out points inside the
 * first/last segment, so the cut is at the keyframe before the requested start) → stream copy → MP4 with the index
 * at the front (`+faststart`), written to a temporary name and renamed, so a half-written clip is never served.
 * Then a 320 px JPEG thumbnail from the clip's middle.
 */
export async function assembleClip(
  plan: ClipPlan,
  out: { mp4: string; thumbnail: string; list: string },
  bins: { ffmpeg: string; ffprobe: string },
): Promise<AssembledClip> {
  const first = plan.segments[0];
  const last = plan.segments[plan.segments.length - 1];
  // inpoint/outpoint are in each file's own timestamps: offset by the file's start time.
  const firstStart = plan.inpointS > 0 ? (await probeMedia(bins.ffprobe, first.path)).startS : 0;
  const lastStart = plan.outpointS !== null ? (last === first ? firstStart || (await probeMedia(bins.ffprobe, last.path)).startS : (await probeMedia(bins.ffprobe, last.path)).startS) : 0;
  const concat = async (useInpoint: boolean): Promise<Awaited<ReturnType<typeof probeMedia>> | null> => {
    const lines = ['ffconcat version 1.0'];
    for (const seg of plan.segments) {
      lines.push(`file '${seg.path.replace(/'/g, "'\\''")}'`);
      if (seg === first && useInpoint && plan.inpointS > 0) lines.push(`inpoint ${(firstStart + plan.inpointS).toFixed(3)}`);
      if (seg === last && plan.outpointS !== null) lines.push(`outpoint ${(lastStart + plan.outpointS).toFixed(3)}`);
    }
    await writeFile(out.list, lines.join('\n') + '\n');
    const tmp = `${out.mp4}.part`;
    try {
      await run(
        bins.ffmpeg,
        ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', `file:${out.list}`, '-map', '0:v:0', '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', `file:${tmp}`],
        120_000,
      );
      const probed = await probeMedia(bins.ffprobe, tmp).catch(() => null);
      if (!probed || !(probed.durationS > 0)) return null;
      await rename(tmp, out.mp4);
      return probed;
    } finally {
      await unlink(out.list).catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
    }
  };
  // The concat demuxer SEEKS the first MPEG-TS file to the inpoint; on long-GOP streams with B-frames (the sample
  // video: 3.6-13.6 s GOPs) ffmpeg 5.1's seek can run to the end of the file and the clip comes out empty ("no video
  // stream"). Then the clip starts at the first segment's start instead (a longer pre-roll, never an empty clip).
  if (!(await concat(true)) && !(plan.inpointS > 0 && (await concat(false)))) throw new Error(`no video stream in ${out.mp4}`);
  const info = await probeMedia(bins.ffprobe, out.mp4);
  const { size } = await stat(out.mp4);
  const thumbnail = await run(
    bins.ffmpeg,
    ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-ss', String(Math.max(0, info.durationS / 2)), '-i', `file:${out.mp4}`, '-frames:v', '1', '-vf', 'scale=320:-2', '-q:v', '5', `file:${out.thumbnail}`],
    30_000,
  )
    .then(async () => ((await stat(out.thumbnail).catch(() => null))?.size ?? 0) > 0)
    .catch(() => false); // a clip without a thumbnail is still a clip
  return { bytes: size, durationS: info.durationS, codec: info.codec, width: info.width, height: info.height, thumbnail };
}
