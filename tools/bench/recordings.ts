// ./crowdsafe bench recordings [--seconds N]: what recording costs per camera, measured on the sample video.
//   1. recorder CPU: the camera's own ffmpeg (the exact decode arguments of the camera pipeline: -re, 5 fps, RGB at
//      1280 px) run for N seconds without and with the recorder's segment output (stream copy into MPEG-TS), CPU
//      seconds of ffmpeg from the shell's `times` (user + sys of the child); the difference is the recorder's cost.
//      Also with the re-encoding output used for sources that cannot be copied (MJPEG), for comparison.
//   2. clip assembly: a clip over all the recorded segments (concat demuxer, stream copy, +faststart) and its
//      thumbnail, wall time vs the clip's duration.
// HLS live output is not built yet, so there are no HLS latency / viewer figures here.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeArgs } from '../../libs/server/cameras/src/lib/ingest/ffmpeg-args';
import { assembleClip, parseSegmentList, planClip, segmentOutputArgs, type Segment } from '@crowdsafe/server-recordings';

const root = resolve(__dirname, '../..');
const video = resolve(root, 'media/sample.mp4');

function cpuOf(args: string[]): { cpuS: number; wallS: number } {
  const quoted = ['ffmpeg', ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const t0 = performance.now();
  const out = execFileSync('bash', ['-c', `${quoted} >/dev/null 2>&1; times`]).toString().trim().split('\n');
  const wallS = (performance.now() - t0) / 1000;
  // `times`: line 1 = the shell, line 2 = its children: "0m1.234s 0m0.567s"
  const [u, s] = out[out.length - 1].split(/\s+/).map((x) => {
    const m = /(\d+)m([\d.]+)s/.exec(x);
    return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
  });
  return { cpuS: u + s, wallS };
}

export async function recordingsBench(seconds: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cs-bench-rec-'));
  try {
    const d = decodeArgs({ kind: 'file', path: video, loop: true }, { fps: 5, size: { width: 1280, height: 720 }, ioTimeoutMs: 10_000 });
    const base = [...d.inputOptions, '-t', String(seconds), '-i', d.input, ...d.outputOptions, '-y', '/dev/null'];
    const seg = (codec: string, sub: string) => {
      const o = segmentOutputArgs({ codec, segmentS: 10, pattern: join(dir, sub, 'r-%06d.ts'), listPath: join(dir, sub, 'list.csv') });
      execFileSync('mkdir', ['-p', join(dir, sub)]);
      return [...o.options, o.target];
    };
    const decodeOnly = cpuOf(base);
    const withCopy = cpuOf([...base, ...seg('h264', 'copy')]);
    const withEncode = cpuOf([...base, ...seg('mjpeg', 'encode')]);
    const pct = (cpuS: number) => ((100 * cpuS) / seconds).toFixed(1);
    const bytes = readdirSync(join(dir, 'copy')).filter((n) => n.endsWith('.ts')).reduce((n, f) => n + statSync(join(dir, 'copy', f)).size, 0);
    console.log(`recorder CPU over ${seconds} s of the sample video (1280x720 H.264 25 fps), % of one core:`);
    console.log(`  camera ffmpeg, decode only (5 fps RGB)        ${pct(decodeOnly.cpuS)} %`);
    console.log(`  + segment output, stream copy (-c copy)       ${pct(withCopy.cpuS)} %  -> recorder ${pct(withCopy.cpuS - decodeOnly.cpuS)} %`);
    console.log(`  + segment output, re-encode (MJPEG sources)   ${pct(withEncode.cpuS)} %  -> recorder ${pct(withEncode.cpuS - decodeOnly.cpuS)} %`);
    console.log(`  recording bandwidth (copy): ${((bytes * 8) / seconds / 1e6).toFixed(2)} Mbit/s = ${((bytes / seconds) * 3600 / 1e9).toFixed(2)} GB per hour per camera`);

    // Clip assembly from the copied segments.
    const list = parseSegmentList(readFileSync(join(dir, 'copy', 'list.csv'), 'utf8')).entries;
    let t = 0;
    const segments: Segment[] = list.map((e) => {
      const s = { cameraId: 'bench', path: join(dir, 'copy', e.file), startMs: t, endMs: t + (e.end - e.start) * 1000, streamStart: e.start, bytes: statSync(join(dir, 'copy', e.file)).size };
      t = s.endMs;
      return s;
    });
    const plan = planClip(segments, 2_000, t - 1_000);
    if (!plan) throw new Error('no segments recorded');
    const t0 = performance.now();
    const clip = await assembleClip(plan, { mp4: join(dir, 'clip.mp4'), thumbnail: join(dir, 'clip.jpg'), list: join(dir, 'clip.ffconcat') }, { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' });
    const ms = performance.now() - t0;
    console.log(`clip assembly (concat, stream copy, +faststart, thumbnail): ${clip.durationS.toFixed(1)} s ${clip.codec} clip in ${(ms / 1000).toFixed(2)} s (${(clip.durationS / (ms / 1000)).toFixed(0)}x real time), ${(clip.bytes / 1e6).toFixed(1)} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
