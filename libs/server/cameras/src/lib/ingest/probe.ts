import { stat } from 'node:fs/promises';
import ffmpeg, { type FfprobeData } from 'fluent-ffmpeg';
import { inputTarget, probeArgs } from './ffmpeg-args';
import { summarizeFfmpegLog } from './ffmpeg-log';
import { assertValidSource, describeSource, redactSecrets, type SourceInput } from './source-input';

export interface ProbeResult {
  /** ffprobe codec_name of the first video stream, e.g. 'h264'. */
  codec: string;
  /** Display size (swapped for 90°/270° rotated video, as ffmpeg auto-rotates when decoding). */
  width: number;
  height: number;
  /** Average frame rate, or null when the stream does not declare one. */
  fps: number | null;
  /** Null for live streams. */
  durationS: number | null;
}

export interface ProbeOptions {
  ffprobePath: string;
  /** Hard limit for the whole probe; also passed to ffprobe as its socket I/O timeout. */
  timeoutMs: number;
}

export type ProbeErrorCode = 'invalid-input' | 'not-found' | 'not-video' | 'timeout' | 'failed';

/** One-line, credential-free reason why a source cannot be probed. */
export class ProbeError extends Error {
  constructor(
    readonly code: ProbeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProbeError';
  }
}

/** Probe a source with ffprobe (fluent-ffmpeg). Rejects with a ProbeError. */
export async function probeSource(input: SourceInput, opts: ProbeOptions): Promise<ProbeResult> {
  try {
    assertValidSource(input);
  } catch (err) {
    throw new ProbeError('invalid-input', (err as Error).message);
  }
  if (input.kind === 'file') await assertReadableFile(input.path);
  const data = await runFfprobe(input, opts);
  return parseProbeData(data, input);
}

async function assertReadableFile(path: string): Promise<void> {
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new ProbeError('not-video', `not a regular file: ${path}`);
  } catch (err) {
    if (err instanceof ProbeError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ProbeError('not-found', `video file not found: ${path}`);
    throw new ProbeError('failed', `cannot read video file ${path}: ${code ?? (err as Error).message}`);
  }
}

function runFfprobe(input: SourceInput, opts: ProbeOptions): Promise<FfprobeData> {
  return new Promise<FfprobeData>((resolve, reject) => {
    // fluent-ffmpeg does not expose the ffprobe child, so it cannot be killed here; the socket timeout in
    // probeArgs makes ffprobe give up on its own for network inputs at about the same time.
    const timer = setTimeout(() => {
      reject(new ProbeError('timeout', `probe timed out after ${opts.timeoutMs} ms: ${describeSource(input)}`));
    }, opts.timeoutMs);
    ffmpeg(inputTarget(input))
      .setFfprobePath(opts.ffprobePath)
      .ffprobe(probeArgs(input, opts.timeoutMs), (err: unknown, data: FfprobeData) => {
        clearTimeout(timer);
        if (err) reject(toProbeError(err, input, opts.ffprobePath));
        else resolve(data);
      });
  });
}

/** Turn fluent-ffmpeg's multi-line error ("ffprobe exited with code 1\n<stderr>") into one redacted line. */
export function toProbeError(err: unknown, input: SourceInput, ffprobePath: string): ProbeError {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT' && e.syscall?.startsWith('spawn')) {
    return new ProbeError('failed', `cannot run ffprobe at ${ffprobePath}: not found`);
  }
  const [first = '', ...stderr] = String(e?.message ?? err).split(/\r\n|\r|\n/);
  const redact = (s: string) => redactSecrets(s, input);
  let detail = redact(summarizeFfmpegLog(stderr) ?? first.trim());
  const prefix = `${redact(inputTarget(input))}: `;
  if (detail.startsWith(prefix)) detail = detail.slice(prefix.length);
  const code: ProbeErrorCode = /no such file or directory/i.test(detail)
    ? 'not-found'
    : /invalid data found/i.test(detail)
      ? 'not-video'
      : 'failed';
  return new ProbeError(code, `cannot open ${describeSource(input)}: ${detail}`);
}

/** ffprobe output as fluent-ffmpeg parses it: numbers where the text was numeric, strings ('N/A', '25/1') otherwise. */
export interface ProbeDataLike {
  streams?: Record<string, unknown>[];
  format?: Record<string, unknown>;
}

/** Pick the first video stream of ffprobe output. Throws ProbeError('not-video') when there is none. */
export function parseProbeData(data: ProbeDataLike, input: SourceInput): ProbeResult {
  const video = (data.streams ?? []).find((s) => s.codec_type === 'video');
  if (!video) throw new ProbeError('not-video', `no video stream in ${describeSource(input)}`);
  let width = Number(video.width);
  let height = Number(video.height);
  if (!(width > 0 && height > 0)) {
    throw new ProbeError('not-video', `video stream has no size in ${describeSource(input)}`);
  }
  if (Math.abs(rotationOf(video)) % 180 === 90) [width, height] = [height, width];
  return {
    codec: typeof video.codec_name === 'string' && video.codec_name ? video.codec_name : 'unknown',
    width,
    height,
    fps: parseRate(video.avg_frame_rate) ?? parseRate(video.r_frame_rate),
    durationS: positive(video.duration) ?? positive(data.format?.duration),
  };
}

function rotationOf(stream: Record<string, unknown>): number {
  const fromSideData = Number(stream['rotation']);
  if (Number.isFinite(fromSideData) && fromSideData !== 0) return fromSideData;
  const fromTag = Number((stream.tags as Record<string, unknown> | undefined)?.['rotate']);
  return Number.isFinite(fromTag) ? fromTag : 0;
}

/** "30000/1001" | "25" | 25 -> number; "0/0", "N/A" -> null. */
export function parseRate(value: unknown): number | null {
  if (typeof value === 'number') return value > 0 && Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const [num, den = '1'] = value.split('/');
  const rate = Number(num) / Number(den);
  return rate > 0 && Number.isFinite(rate) ? rate : null;
}

function positive(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return n > 0 && Number.isFinite(n) ? n : null;
}
