import { spawn } from 'node:child_process';
import { inputTarget, protocolArgs } from './ffmpeg-args';
import { summarizeFfmpegLog } from './ffmpeg-log';
import { ProbeError } from './probe';
import { describeSource, redactSecrets, type SourceInput } from './source-input';

export interface GrabOptions {
  ffmpegPath: string;
  /** Hard limit: ffmpeg is killed (SIGKILL) after this. */
  timeoutMs: number;
  /** The JPEG is downscaled to at most this width. */
  maxWidth: number;
  /** Upper bound of the JPEG size (bytes); larger output is refused. */
  maxBytes?: number;
}

/**
 * Grabs one frame of a source as a JPEG (one short ffmpeg run, killed at the deadline). Rejects with a ProbeError
 * whose message is redacted.
 */
export function grabJpeg(input: SourceInput, opts: GrabOptions): Promise<Buffer> {
  const maxBytes = opts.maxBytes ?? 8 * 1024 * 1024;
  const args = [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    ...protocolArgs(input, opts.timeoutMs),
    '-i', inputTarget(input),
    '-map', '0:v:0', '-an', '-sn', '-dn',
    '-frames:v', '1',
    '-vf', `scale='min(${opts.maxWidth},iw)':-2:flags=area`,
    '-q:v', '4',
    '-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1',
  ];
  return new Promise<Buffer>((resolve, reject) => {
    let child;
    try {
      child = spawn(opts.ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      reject(new ProbeError('failed', `cannot run ffmpeg (${opts.ffmpegPath}): ${(err as Error).message}`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let timedOut = false;
    let tooBig = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        tooBig = true;
        child.kill('SIGKILL');
      } else chunks.push(c);
    });
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new ProbeError('failed', `cannot run ffmpeg (${opts.ffmpegPath}): ${err.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const jpeg = Buffer.concat(chunks);
      if (timedOut) return reject(new ProbeError('timeout', `no frame within ${opts.timeoutMs} ms from ${describeSource(input)}`));
      if (tooBig) return reject(new ProbeError('failed', `snapshot larger than ${maxBytes} bytes`));
      if (code === 0 && jpeg.length > 2 && jpeg[0] === 0xff && jpeg[1] === 0xd8) return resolve(jpeg);
      const detail = summarizeFfmpegLog(stderr.split(/\r?\n/)) ?? `ffmpeg exited with code ${code}`;
      reject(new ProbeError('failed', `cannot grab a frame from ${describeSource(input)}: ${redactSecrets(detail, input)}`));
    });
  });
}
