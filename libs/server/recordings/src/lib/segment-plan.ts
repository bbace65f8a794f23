/** Pure helpers of the recorder: ffmpeg segment output arguments, segment-list parsing, clip planning. No I/O. */

/** Codecs MPEG-TS and MP4 carry as they are: these are copied (`-c copy`); anything else (MJPEG, ...) is re-encoded. */
const COPYABLE = new Set(['h264', 'hevc']);

export function canCopy(codec: string | undefined): boolean {
  return codec !== undefined && COPYABLE.has(codec);
}

export interface SegmentOutputOptions {
  codec?: string;
  segmentS: number;
  /** `<dir>/<runId>-%06d.ts` */
  pattern: string;
  /** The CSV segment list ffmpeg appends one line to per finished segment. */
  listPath: string;
}

/**
 * The segment output of a camera's ffmpeg: the first video stream, copied when the codec allows it, into MPEG-TS
 * segments of about `segmentS` (cut at keyframes; a segment is complete and playable as soon as the next starts,
 * and a killed ffmpeg leaves every finished segment intact — no index written at the end as in a plain MP4).
 * Timestamps are kept continuous across segments (`-reset_timestamps 0`). Sources that cannot be copied (MJPEG
 * over HTTP, raw USB formats) are encoded to H.264 with a keyframe at every segment boundary.
 */
export function segmentOutputArgs(o: SegmentOutputOptions): { target: string; options: string[] } {
  const codec = canCopy(o.codec)
    ? ['-c:v', 'copy']
    : ['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-crf', '26', '-force_key_frames', `expr:gte(t,n_forced*${o.segmentS})`];
  return {
    target: o.pattern,
    options: [
      '-map', '0:v:0', '-an', '-sn', '-dn',
      ...codec,
      '-f', 'segment',
      '-segment_time', String(o.segmentS),
      '-segment_format', 'mpegts',
      '-reset_timestamps', '0',
      '-segment_list', o.listPath,
      '-segment_list_type', 'csv',
      '-segment_list_flags', '+live',
    ],
  };
}

export interface SegmentListEntry {
  file: string;
  /** Stream times (s) of the segment's first and last packet, as ffmpeg reports them. */
  start: number;
  end: number;
}

/**
 * Parses the complete lines of a CSV segment list (`name,start,end`); returns them and how many characters were
 * consumed (a trailing partial line is left for the next read). Lines that don't parse are skipped.
 */
export function parseSegmentList(text: string): { entries: SegmentListEntry[]; consumed: number } {
  const entries: SegmentListEntry[] = [];
  const last = text.lastIndexOf('\n');
  if (last < 0) return { entries, consumed: 0 };
  for (const line of text.slice(0, last).split('\n')) {
    const m = /^"?([^",/\\]+)"?,(-?[\d.]+),(-?[\d.]+)\s*$/.exec(line.trim());
    if (!m) continue;
    const start = Number(m[2]);
    const end = Number(m[3]);
    if (Number.isFinite(start) && Number.isFinite(end) && end >= start) entries.push({ file: m[1], start, end });
  }
  return { entries, consumed: last + 1 };
}

/**
 * Places a finished segment on the wall clock: from the previous segment's close to its own (its file's mtime, when
 * ffmpeg closed it). The segments of a run are contiguous in wall time, and a segment's wall span is when its frames
 * went through the camera's ffmpeg — the frames the live view showed then. A pipeline that runs slower than real time
 * (a starved host: the reader of the decoded frames holds ffmpeg up) gives wall spans longer than the stream span;
 * clips are cut by interpolating inside them (planClip), so a recording never falls into a gap between segments.
 * The first segment of a run: its stream duration before its close, not before the run's start.
 */
export function placeSegment(prevEndMs: number | null, runStartMs: number, e: SegmentListEntry, mtimeMs: number): { startMs: number; endMs: number } {
  const endMs = prevEndMs !== null ? Math.max(mtimeMs, prevEndMs) : mtimeMs;
  const startMs = prevEndMs !== null ? prevEndMs : Math.min(endMs, Math.max(runStartMs, mtimeMs - (e.end - e.start) * 1000));
  return { startMs, endMs };
}

/** A finished segment on disk, placed on the wall clock. */
export interface Segment {
  cameraId: string;
  /** Absolute path. */
  path: string;
  /** Wall-clock ms of its first and last frame. */
  startMs: number;
  endMs: number;
  /** Stream times (s) of its first and last packet (ffmpeg's list). */
  streamStart: number;
  streamEnd: number;
  bytes: number;
}

export interface ClipPlan {
  segments: Segment[];
  /** Seconds into the first segment where the clip starts (0 = its beginning), and the clip's end within the last. */
  inpointS: number;
  outpointS: number | null;
  /** Wall-clock span actually covered. */
  startMs: number;
  endMs: number;
}

/** Stream seconds per wall second inside a segment (1 when the camera's ffmpeg kept real time). */
function streamPerWall(s: Segment): number {
  const wall = s.endMs - s.startMs;
  const stream = (s.streamEnd - s.streamStart) * 1000;
  // The stream span ends at the last packet (one frame short) and closes jitter: only a clear slowdown scales.
  const r = wall > 0 && stream > 0 ? stream / wall : 1;
  return r < 0.9 ? r : 1;
}

/**
 * The segments covering [startMs, endMs] (sorted by start) and the trim points inside the first and last ones.
 * null when no segment overlaps.
 */
export function planClip(all: readonly Segment[], startMs: number, endMs: number): ClipPlan | null {
  const segments = all.filter((s) => s.endMs > startMs && s.startMs < endMs).sort((a, b) => a.startMs - b.startMs);
  if (!segments.length) return null;
  const first = segments[0];
  const last = segments[segments.length - 1];
  const inpointS = Math.max(0, ((startMs - first.startMs) / 1000) * streamPerWall(first));
  const outpointS = endMs < last.endMs ? Math.max(0, ((endMs - last.startMs) / 1000) * streamPerWall(last)) : null;
  return { segments, inpointS, outpointS, startMs: Math.max(startMs, first.startMs), endMs: Math.min(endMs, last.endMs) };
}

/**
 * Which segments the rolling buffer may delete at `nowMs`: those ended more than `keepMs` ago and not needed by a
 * pending clip (one that starts at or before their end).
 */
export function expiredSegments(all: readonly Segment[], nowMs: number, keepMs: number, pinnedFromMs: number | null): Segment[] {
  return all.filter((s) => s.endMs < nowMs - keepMs && (pinnedFromMs === null || s.endMs <= pinnedFromMs));
}

/** Bytes per second recorded over the given segments (0 when unknown). */
export function bandwidthOf(segments: readonly Segment[]): number {
  const seconds = segments.reduce((n, s) => n + Math.max(0, s.endMs - s.startMs) / 1000, 0);
  const bytes = segments.reduce((n, s) => n + s.bytes, 0);
  return seconds > 0 ? bytes / seconds : 0;
}

/** How the live HLS rendition is made: the camera's stream copied, or re-encoded with a keyframe per segment. */
export type HlsRendition = { kind: 'copy' } | { kind: 'transcode'; maxWidth: number; maxHeight?: number; fps: number };

/**
 * Which rendition a camera's live HLS gets: `copy` only when the codec can be copied and (auto) its keyframe
 * interval fits the segment length (latency is at least one GOP when copying); unknown GOP in auto -> transcode, so
 * a new camera is low-latency from its first run (its GOP is measured from its recording segments for the next run).
 */
export function chooseHlsRendition(o: { mode: 'copy' | 'transcode' | 'auto'; codec: string | undefined; gopS: number | undefined; segmentS: number; maxWidth: number; maxHeight?: number; fps: number }): HlsRendition | null {
  const transcode: HlsRendition = { kind: 'transcode', maxWidth: o.maxWidth, ...(o.maxHeight !== undefined ? { maxHeight: o.maxHeight } : {}), fps: o.fps };
  if (o.mode === 'transcode') return transcode;
  if (o.mode === 'copy') return canCopy(o.codec) ? { kind: 'copy' } : null;
  if (!canCopy(o.codec)) return transcode;
  return o.gopS !== undefined && o.gopS <= o.segmentS * 1.25 ? { kind: 'copy' } : transcode;
}

/** The GOP (s) from the keyframe times of a stream span of `spanS` seconds: the longest gap, or the span when it holds one keyframe. */
export function gopOf(keyframeTimes: readonly number[], spanS: number): number | undefined {
  const t = [...keyframeTimes].filter(Number.isFinite).sort((a, b) => a - b);
  if (!t.length) return undefined;
  if (t.length === 1) return spanS > 0 ? spanS : undefined;
  let max = 0;
  for (let i = 1; i < t.length; i++) max = Math.max(max, t[i] - t[i - 1]);
  return max;
}

/**
 * The live HLS output of a camera's ffmpeg: a sliding playlist of short MPEG-TS segments (4 listed, old ones
 * deleted, independent segments), media sequence numbered from the epoch so a restarted ffmpeg continues it.
 * `copy`: the stream as it is, cut at its keyframes (latency >= the source GOP). `transcode`: libx264 ultrafast /
 * zerolatency on one thread (no lookahead, no B-frames, no frame-thread delay) at a bounded size (width AND height,
 * aspect kept, never upscaled) and frame rate, a keyframe at every segment boundary (-g = fps x segment), so
 * segments are `segmentS` long whatever the source's GOP. ultrafast rather than veryfast: about half the CPU (10 s of
 * 720p 15 fps MJPEG to 960 px: 0.80 vs 1.44 CPU-s),
 * and a live transcode that cannot keep real time on a busy host is what makes live HLS late.
 */
export function hlsOutputArgs(o: { segmentS: number; dir: string; runId: string; rendition?: HlsRendition }): { target: string; options: string[] } {
  const r = o.rendition ?? { kind: 'copy' };
  const codec =
    r.kind === 'copy'
      ? ['-c:v', 'copy']
      : [
          '-vf', [...(r.fps > 0 ? [`fps=${r.fps}`] : []), scaleFilter(r.maxWidth, r.maxHeight)].join(','),
          '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-threads', '1', '-profile:v', 'main', '-pix_fmt', 'yuv420p',
          '-crf', '25', '-maxrate', '2500k', '-bufsize', '2500k',
          ...(r.fps > 0 ? ['-g', String(Math.max(1, Math.round(r.fps * o.segmentS))), '-keyint_min', String(Math.max(1, Math.round(r.fps * o.segmentS)))] : []),
          '-sc_threshold', '0',
          '-force_key_frames', `expr:gte(t,n_forced*${o.segmentS})`,
        ];
  return {
    target: `${o.dir}/index.m3u8`,
    options: [
      '-map', '0:v:0', '-an', '-sn', '-dn', ...codec,
      '-f', 'hls',
      '-hls_time', String(o.segmentS),
      // at least 4 segments and ~3 s listed: a player starting 3 segments back, or late on a busy host, still finds them
      '-hls_list_size', String(Math.max(4, Math.ceil(3 / o.segmentS))),
      '-hls_flags', 'delete_segments+omit_endlist+independent_segments+temp_file',
      '-hls_delete_threshold', '2',
      '-hls_start_number_source', 'epoch',
      '-hls_segment_filename', `${o.dir}/${o.runId}-%d.ts`,
    ],
  };
}

/**
 * Downscale into maxWidth x maxHeight (either may bound; aspect kept, never upscaled, even sides): `min(W,iw)` x
 * `min(H,ih)` as the box, shrunk to the source's aspect. Without a height bound: the width only (height follows).
 */
export function scaleFilter(maxWidth: number, maxHeight?: number): string {
  if (maxHeight === undefined) return `scale='min(${maxWidth},iw)':-2`;
  return `scale=w='min(${maxWidth},iw)':h='min(${maxHeight},ih)':force_original_aspect_ratio=decrease:force_divisible_by=2`;
}

/**
 * The transcoder's UDP input queue, in 188-byte packets (ffmpeg's fifo_size), per feed format. It only fills while
 * the transcode is slower than its input; full, the newest packets are dropped (overrun_nonfatal: frames lost,
 * decoding resumes at the next JPEG/keyframe) instead of queueing, so its size IS the latency a late transcoder adds,
 * in bytes: the former 100000 (18.8 MB) let a starved transcode fall 22-40 s behind a 720p MJPEG camera, 1 MB still
 * 7.5 s behind a camera that got only 2 fps out (bench). MJPEG: ~130 KB, a few JPEGs (0.15 s of a 720p 15 fps feed);
 * MPEG-TS: ~1 MB, room for an H.264 keyframe burst (a lost keyframe costs a whole GOP), ~4 s of 2 Mbit/s.
 */
export const FEED_FIFO_PACKETS: Record<'mpegts' | 'mjpeg', number> = { mjpeg: 700, mpegts: 5600 };

/** Codecs the on-demand transcoder can be fed as they are (copied by the camera's ffmpeg into a local UDP feed). */
const FEEDABLE: Record<string, 'mpegts' | 'mjpeg'> = { h264: 'mpegts', hevc: 'mpegts', mjpeg: 'mjpeg' };

/** The feed format of a codec (h264/hevc: MPEG-TS, MJPEG: raw JPEG stream), undefined when it cannot be fed. */
export function feedFormatOf(codec: string | undefined): 'mpegts' | 'mjpeg' | undefined {
  return codec !== undefined ? FEEDABLE[codec] : undefined;
}

/**
 * The camera ffmpeg's output feeding the on-demand HLS transcoder: its video stream COPIED (no encoding: a mux and a
 * send per packet) as MPEG-TS or raw MJPEG to a loopback UDP port. Nobody listening costs no more than that (the
 * datagrams are dropped by the kernel), and a transcoder that starts later joins at the next keyframe / JPEG.
 */
export function hlsFeedOutputArgs(o: { format: 'mpegts' | 'mjpeg'; port: number }): { target: string; options: string[] } {
  if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535) throw new Error(`port must be an integer in 1..65535 (got ${o.port})`);
  return { target: `udp://127.0.0.1:${o.port}?pkt_size=1316`, options: ['-map', '0:v:0', '-an', '-sn', '-dn', '-c:v', 'copy', '-flush_packets', '1', '-f', o.format] };
}

/**
 * The on-demand transcoder's ffmpeg command line: reads the camera's UDP feed (`hlsFeedOutputArgs`) and writes the
 * transcoded live playlist (`hlsOutputArgs`). Exits by itself when the feed is silent for 10 s.
 */
export function hlsTranscoderArgs(o: { format: 'mpegts' | 'mjpeg'; port: number; segmentS: number; dir: string; runId: string; maxWidth: number; maxHeight?: number; fps: number }): string[] {
  if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535) throw new Error(`port must be an integer in 1..65535 (got ${o.port})`);
  const out = hlsOutputArgs({ segmentS: o.segmentS, dir: o.dir, runId: o.runId, rendition: { kind: 'transcode', maxWidth: o.maxWidth, ...(o.maxHeight !== undefined ? { maxHeight: o.maxHeight } : {}), fps: o.fps } });
  const input = [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    '-fflags', '+nobuffer+discardcorrupt', '-flags', 'low_delay', '-probesize', '500000', '-analyzeduration', '500000',
    // one decoder thread: frame threading would hold a frame per thread back (latency) on a host with 2 cores
    '-threads', '1',
    // raw MJPEG carries no timestamps: stamp frames on arrival so the rendition keeps real time
    ...(o.format === 'mjpeg' ? ['-use_wallclock_as_timestamps', '1'] : []),
    '-f', o.format,
    '-i', `udp://127.0.0.1:${o.port}?fifo_size=${FEED_FIFO_PACKETS[o.format]}&overrun_nonfatal=1&timeout=10000000`,
  ];
  return [...input, ...out.options, '-y', out.target];
}
