// Offline frame sources for `crowdsafe analyze`: every decoded frame of a video (ffmpeg, no real-time pacing) or
// every image of a directory in natural sort order (e.g. a MOTChallenge img1/). Frames are RGB24 like the live
// pipeline's, downscaled to at most `maxWidth` exactly as the camera ingest does (computeOutputSize + scale=area).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import sharp from 'sharp';
import { computeOutputSize, type FrameSize } from '@crowdsafe/server-cameras';

export interface SourceInfo {
  kind: 'video' | 'images';
  path: string;
  /** Source size (boxes are reported in these pixels). */
  width: number;
  height: number;
  /** Size frames are decoded at (the product's camera width limit applied). */
  decoded: FrameSize;
  /** Frames per second of the source: the stream's rate, or seqinfo.ini's frameRate / 25 for an image directory. */
  fps: number;
  /** Frame count when known in advance. */
  frames: number | null;
}

export interface DecodedFrame {
  /** 1-based source frame number. */
  number: number;
  data: Uint8Array;
  decodeMs: number;
}

export interface FrameReader {
  info: SourceInfo;
  frames(): AsyncGenerator<DecodedFrame>;
}

const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png', '.bmp', '.webp', '.tif', '.tiff']);

export async function openFrames(path: string, opts: { maxWidth: number; ffmpegPath: string; ffprobePath: string }): Promise<FrameReader> {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new Error(`input not found: ${path}`);
  }
  return st.isDirectory() ? openImageDir(path, opts.maxWidth) : openVideo(path, opts);
}

async function openVideo(path: string, opts: { maxWidth: number; ffmpegPath: string; ffprobePath: string }): Promise<FrameReader> {
  const probe = await ffprobe(path, opts.ffprobePath);
  const decoded = computeOutputSize(probe, opts.maxWidth);
  const info: SourceInfo = { kind: 'video', path, width: probe.width, height: probe.height, decoded, fps: probe.fps, frames: probe.frames };
  return { info, frames: () => decodeVideo(path, decoded, opts.ffmpegPath) };
}

interface Probe {
  width: number;
  height: number;
  fps: number;
  frames: number | null;
}

async function ffprobe(path: string, ffprobePath: string): Promise<Probe> {
  const args = ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,avg_frame_rate,r_frame_rate,nb_frames:stream_side_data=rotation:stream_tags=rotate', '-of', 'json', `file:${path}`];
  const { code, stdout, stderr } = await run(ffprobePath, args);
  if (code !== 0) throw new Error(`ffprobe could not read ${path}: ${stderr.trim().split('\n').pop() ?? `exit code ${code}`}`);
  const s = (JSON.parse(stdout) as { streams?: Array<Record<string, unknown>> }).streams?.[0];
  if (!s || !(Number(s['width']) > 0)) throw new Error(`${path} has no video stream`);
  const rate = (v: unknown): number => {
    const [n, d = '1'] = String(v ?? '').split('/');
    const r = Number(n) / Number(d);
    return Number.isFinite(r) && r > 0 ? r : 0;
  };
  const fps = rate(s['avg_frame_rate']) || rate(s['r_frame_rate']) || 25;
  const sideData = (s['side_data_list'] as Array<{ rotation?: number }> | undefined) ?? [];
  const rotation = Number(sideData.find((x) => x.rotation !== undefined)?.rotation ?? (s['tags'] as { rotate?: string } | undefined)?.rotate ?? 0);
  const swap = Math.abs(rotation) % 180 === 90; // ffmpeg auto-rotates when decoding
  const w = Number(s['width']);
  const h = Number(s['height']);
  const n = Number(s['nb_frames']);
  return { width: swap ? h : w, height: swap ? w : h, fps, frames: Number.isInteger(n) && n > 0 ? n : null };
}

function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    p.on('error', (e) => reject(new Error(`cannot run ${cmd}: ${e.message}`)));
    p.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Every frame, in order, as fast as it is consumed (ffmpeg is paused by pipe backpressure, never paced). */
async function* decodeVideo(path: string, size: FrameSize, ffmpegPath: string): AsyncGenerator<DecodedFrame> {
  const args = [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    '-i', `file:${path}`,
    '-map', '0:v:0', '-an', '-sn', '-dn',
    // Every decoded frame (no fps filter, no duplication/drops), scaled like the camera ingest.
    '-fps_mode', 'passthrough',
    '-vf', `scale=${size.width}:${size.height}:flags=area`,
    '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1',
  ];
  const p = spawn(ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  p.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
  const exited = new Promise<number>((resolve, reject) => {
    p.on('error', (e) => reject(new Error(`cannot run ${ffmpegPath}: ${e.message}`)));
    p.on('close', (code) => resolve(code ?? 1));
  });
  const frameBytes = size.width * size.height * 3;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let number = 0;
  let t0 = performance.now();
  try {
    for await (const chunk of p.stdout as AsyncIterable<Buffer>) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      while (pendingBytes >= frameBytes) {
        const all = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
        const data = new Uint8Array(frameBytes);
        data.set(all.subarray(0, frameBytes));
        const rest = all.subarray(frameBytes);
        pending = rest.length ? [rest] : [];
        pendingBytes = rest.length;
        const decodeMs = performance.now() - t0;
        yield { number: ++number, data, decodeMs };
        t0 = performance.now();
      }
    }
  } finally {
    if (p.exitCode === null) p.kill('SIGTERM');
  }
  const code = await exited;
  if (code !== 0) throw new Error(`ffmpeg failed decoding ${path} (exit code ${code}): ${stderr.trim().split('\n').pop() ?? ''}`);
  if (pendingBytes) throw new Error(`ffmpeg output ended inside a frame (${pendingBytes} of ${frameBytes} bytes)`);
}

async function openImageDir(dir: string, maxWidth: number): Promise<FrameReader> {
  const collator = new Intl.Collator('en', { numeric: true });
  const files = readdirSync(dir)
    .filter((f) => IMAGE_EXT.has(extname(f).toLowerCase()))
    .sort(collator.compare)
    .map((f) => join(dir, f));
  if (!files.length) throw new Error(`no images (${[...IMAGE_EXT].join(', ')}) in ${dir}`);
  const meta = await sharp(files[0]).metadata();
  if (!meta.width || !meta.height) throw new Error(`cannot read the size of ${files[0]}`);
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  const decoded = computeOutputSize({ width, height }, maxWidth);
  const info: SourceInfo = { kind: 'images', path: dir, width, height, decoded, fps: seqinfoFps(dir) ?? 25, frames: files.length };
  async function* frames(): AsyncGenerator<DecodedFrame> {
    for (let i = 0; i < files.length; i++) {
      const t0 = performance.now();
      let img = sharp(files[i]).rotate().removeAlpha().toColourspace('srgb');
      if (decoded.width !== width || decoded.height !== height) img = img.resize(decoded.width, decoded.height, { fit: 'fill' });
      const { data, info: got } = await img.raw().toBuffer({ resolveWithObject: true });
      if (got.channels !== 3) throw new Error(`${files[i]}: expected 3 colour channels, got ${got.channels}`);
      const m = await sharp(files[i]).metadata();
      if ((m.autoOrient?.width ?? m.width) !== width || (m.autoOrient?.height ?? m.height) !== height) {
        throw new Error(`${basename(files[i])} is ${m.width}x${m.height}, the first image is ${width}x${height}: all images must have one size`);
      }
      yield { number: i + 1, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), decodeMs: performance.now() - t0 };
    }
  }
  return { info, frames };
}

/** frameRate from a MOTChallenge seqinfo.ini next to (or one level above) the image directory. */
function seqinfoFps(dir: string): number | null {
  for (const ini of [join(dir, 'seqinfo.ini'), join(dirname(dir), 'seqinfo.ini')]) {
    try {
      const m = /^\s*frameRate\s*=\s*([0-9.]+)\s*$/m.exec(readFileSync(ini, 'utf8'));
      if (m && Number(m[1]) > 0) return Number(m[1]);
    } catch {
      // no seqinfo.ini here
    }
  }
  return null;
}
