// ./crowdsafe bench recordings [--seconds N]: what recording costs per camera, measured on the sample video.
//   1. recorder CPU: the camera's own ffmpeg (the exact decode arguments of the camera pipeline: -re, 5 fps, RGB at
//      1280 px) run for N seconds without and with the recorder's segment output (stream copy into MPEG-TS), CPU
//      seconds of ffmpeg from the shell's `times` (user + sys of the child); the difference is the recorder's cost.
//      Also with the re-encoding output used for sources that cannot be copied (MJPEG), for comparison.
//   2. clip assembly: a clip over all the recorded segments (concat demuxer, stream copy, +faststart) and its
//      thumbnail, wall time vs the clip's duration.
//   3. live HLS transcode CPU: the same camera ffmpeg with the live HLS output, copy vs transcode (LIVE_HLS_MODE:
//      libx264 ultrafast/zerolatency, 960x540, 15 fps, keyframe per 1 s segment), the difference per camera.
//   4. live HLS through the REAL api (a child process: embedded mode, real detector at 2 fps, ffmpeg ingest) of a
//      node MJPEG camera that stamps each frame's emission time (Date.now()) into its pixels (tools/bench/live.ts):
//      - glass-to-glass: one viewer polls the api's playlist every 100 ms with its ticket, fetches each new segment at
//        once, decodes every frame of it and reads the stamp: per frame, arrival of its segment - emission. A player
//        shows a frame at the earliest when its segment has arrived and keeps ~1 segment buffered (the console's
//        player holds 1-1.8 s ahead), so glass-to-glass at the player = p95 over segments of (arrival - emission of
//        the segment's FIRST frame) + one segment duration (1 s);
//      - load: 1 / 10 / 50 viewers behaving like hls.js (each its own ticket; start 3 segments from the live edge,
//        reload the playlist every target duration, half that when unchanged, fetch each new segment once): the api
//        process's CPU (/proc/<pid>/stat, ffmpeg not included) and bytes/s served, vs an idle phase.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { decodeArgs } from '../../libs/server/cameras/src/lib/ingest/ffmpeg-args';
import { assembleClip, hlsFeedOutputArgs, hlsOutputArgs, parseSegmentList, planClip, segmentOutputArgs, type Segment } from '@crowdsafe/server-recordings';
import { breakdownLines, latencyProbe, parsePlaylist, pctl, type SourceLog } from './hls-latency';
import { cpuSeconds, startSource } from './live';

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

let hlsTranscodeCpuPct = NaN;
let feedCpuPct = NaN;

const argOf = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};

/** Options: --seconds N, --hls-only (skip the recorder part), --hls-width N / --hls-fps N (the stamped camera), --hls-segment S (LIVE_HLS_SEGMENT_S),
 * --hls-max-height N (LIVE_HLS_MAX_HEIGHT, default the product's), --hls-latency-only (skip the 0/1/10/50-viewer load phases). */
export async function recordingsBench(seconds: number): Promise<void> {
  if (!process.argv.includes('--hls-only')) await recorderBench(seconds);
  await liveHlsBench(Math.max(10, Math.min(seconds, 30)));
}

async function recorderBench(seconds: number): Promise<void> {
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
      const s = { cameraId: 'bench', path: join(dir, 'copy', e.file), startMs: t, endMs: t + (e.end - e.start) * 1000, streamStart: e.start, streamEnd: e.end, bytes: statSync(join(dir, 'copy', e.file)).size };
      t = s.endMs;
      return s;
    });
    const plan = planClip(segments, 2_000, t - 1_000);
    if (!plan) throw new Error('no segments recorded');
    const t0 = performance.now();
    const clip = await assembleClip(plan, { mp4: join(dir, 'clip.mp4'), thumbnail: join(dir, 'clip.jpg'), list: join(dir, 'clip.ffconcat') }, { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' });
    const ms = performance.now() - t0;
    console.log(`clip assembly (concat, stream copy, +faststart, thumbnail): ${clip.durationS.toFixed(1)} s ${clip.codec} clip in ${(ms / 1000).toFixed(2)} s (${(clip.durationS / (ms / 1000)).toFixed(0)}x real time), ${(clip.bytes / 1e6).toFixed(1)} MB`);

    // Live HLS rendition: copy vs transcode, on top of the camera's decode.
    const hls = (sub: string, rendition: Parameters<typeof hlsOutputArgs>[0]['rendition']) => {
      execFileSync('mkdir', ['-p', join(dir, sub)]);
      const o = hlsOutputArgs({ segmentS: 1, dir: join(dir, sub), runId: '1-abcdef', rendition });
      return [...o.options, o.target];
    };
    const withHlsCopy = cpuOf([...base, ...hls('hls-copy', { kind: 'copy' })]);
    const withHlsTranscode = cpuOf([...base, ...hls('hls-x264', { kind: 'transcode', maxWidth: 960, maxHeight: 540, fps: 15 })]);
    // On-demand transcode with nobody watching: the camera ffmpeg only copies into a loopback UDP port nobody reads.
    const feed = hlsFeedOutputArgs({ format: 'mpegts', port: 20_000 + Math.floor(Math.random() * 12_000) });
    const withFeed = cpuOf([...base, ...feed.options, feed.target]);
    console.log(`live HLS rendition over ${seconds} s (1 s segments), % of one core:`);
    console.log(`  + HLS output, stream copy (latency >= source GOP: 10 s here)   ${pct(withHlsCopy.cpuS)} %  -> HLS ${pct(withHlsCopy.cpuS - decodeOnly.cpuS)} %`);
    console.log(`  + HLS output, transcode (x264 ultrafast/zerolatency 960x540 15 fps, keyframe/s)  ${pct(withHlsTranscode.cpuS)} %  -> HLS transcode ${pct(withHlsTranscode.cpuS - decodeOnly.cpuS)} % per camera`);
    console.log(`  + on-demand feed only (copy to loopback UDP, nobody watching)   ${pct(withFeed.cpuS)} %  -> no-viewer cost ${pct(withFeed.cpuS - decodeOnly.cpuS)} % per camera`);
    feedCpuPct = (100 * (withFeed.cpuS - decodeOnly.cpuS)) / seconds;
    hlsTranscodeCpuPct = (100 * (withHlsTranscode.cpuS - decodeOnly.cpuS)) / seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- live HLS through the real api ----------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface HlsApi {
  port: number;
  token: string;
  cameraId: string;
}

async function hlsApiChild(): Promise<void> {
  const { loadConfig } = await import('@crowdsafe/server-config');
  const { createApp } = await import('../../apps/api/src/app/bootstrap');
  const { CamerasService } = await import('@crowdsafe/server-cameras');
  const { SessionService } = await import('@crowdsafe/server-auth');
  const { UserAccountsService } = await import('@crowdsafe/server-users');
  const [dataDir, sourceUrl, segmentS, maxHeight] = process.argv.slice(process.argv.indexOf('--hls-api-child') + 1);
  const config = loadConfig({ DATA_DIR: dataDir, MODEL_PATH: resolve(root, 'models/yolo11n.onnx'), SAMPLE_CAMERA: 'false', WEB_DIST: '', LOG_LEVEL: 'warn', CAMERA_ALLOWED_NETWORKS: '127.0.0.1/32', RATE_LIMIT_ENABLED: 'false', LIVE_HLS_MODE: 'auto', LIVE_HLS_SEGMENT_S: segmentS, LIVE_HLS_LINGER_S: String(LINGER_S), ...(maxHeight !== '0' ? { LIVE_HLS_MAX_HEIGHT: maxHeight } : {}) }, root);
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as { port: number }).port;
  const user = (await app.get(UserAccountsService, { strict: false }).create({ username: 'bench-viewer', role: 'viewer', password: 'copper-lantern-drifts-north-9' })).user;
  const token = (await app.get(SessionService, { strict: false }).issue(user)).accessToken;
  const camera = await app.get(CamerasService).create({ name: 'bench-hls', sourceType: 'http', sourceUrl, isActive: true, targetFps: 2 } as never, null);
  process.stdout.write(`${JSON.stringify({ port, token, cameraId: camera.id } satisfies HlsApi)}\n`);
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

const LINGER_S = 5;

/** CPU seconds of the api's ffmpeg children (the camera's and, while watched, the transcoder) and whether a transcoder runs. */
function ffmpegChildren(apiPid: number): { pids: number[]; transcoding: boolean } {
  const lines = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(apiPid)]).toString().split('\n').filter((l) => /\bffmpeg\b/.test(l));
  return { pids: lines.map((l) => Number(l.trim().split(/\s+/)[0])), transcoding: lines.some((l) => l.includes('-i udp://')) };
}
/** The camera's ffmpeg and the on-demand transcoder among the api's children. */
function ffmpegPids(apiPid: number): { camera?: number; transcoder?: number } {
  const out: { camera?: number; transcoder?: number } = {};
  for (const l of execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(apiPid)]).toString().split('\n')) {
    if (!/\bffmpeg\b/.test(l)) continue;
    const p = Number(l.trim().split(/\s+/)[0]);
    if (l.includes('-i udp://')) out.transcoder = p;
    else out.camera = p;
  }
  return out;
}
function ffmpegCpu(apiPid: number): Map<number, number> {
  const m = new Map<number, number>();
  for (const pid of ffmpegChildren(apiPid).pids) {
    try {
      m.set(pid, cpuSeconds(pid));
    } catch {
      // exited meanwhile
    }
  }
  return m;
}
const cpuDelta = (a: Map<number, number>, b: Map<number, number>) => [...b].reduce((n, [pid, c]) => n + c - (a.get(pid) ?? 0), 0);

function startHlsApi(dataDir: string, sourceUrl: string, segmentS: number, maxHeight: number): Promise<{ child: ChildProcess; info: HlsApi }> {
  const child = spawn(process.execPath, ['-r', './tools/ts-register.js', 'tools/bench/recordings.ts', '--hls-api-child', dataDir, sourceUrl, String(segmentS), String(maxHeight)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((res, rej) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (l) => {
      if (l.startsWith('{"port"')) res({ child, info: JSON.parse(l) as HlsApi });
    });
    child.on('exit', (code) => rej(new Error(`api child exited (${code})`)));
  });
}

async function ticketUrl(api: HlsApi): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${api.port}/api/live-hls/${api.cameraId}/ticket`, { method: 'POST', headers: { Authorization: `Bearer ${api.token}` } });
  if (r.status !== 200) throw new Error(`live-hls ticket: ${r.status} ${await r.text()}`);
  return `http://127.0.0.1:${api.port}${((await r.json()) as { url: string }).url}`;
}

/** CPU (% of a core) of the api process and of its ffmpeg children over `seconds`, and whether a transcoder ran at the end. */
async function phaseCpu(apiPid: number, seconds: number): Promise<{ api: number; ffmpeg: number; transcoding: boolean; wall: number }> {
  const a0 = cpuSeconds(apiPid);
  const f0 = ffmpegCpu(apiPid);
  const t0 = Date.now();
  await sleep(seconds * 1000);
  const wall = (Date.now() - t0) / 1000;
  const f1 = ffmpegCpu(apiPid);
  return { api: (100 * (cpuSeconds(apiPid) - a0)) / wall, ffmpeg: (100 * cpuDelta(f0, f1)) / wall, transcoding: ffmpegChildren(apiPid).transcoding, wall };
}

/** A viewer behaving like hls.js on a live playlist. */
function hlsJsViewer(url: string, stop: () => boolean): { bytes: () => number; errors: () => number; done: Promise<void> } {
  let bytes = 0;
  let errors = 0;
  const base = url.slice(0, url.lastIndexOf('/') + 1);
  const done = (async () => {
    let last = -1;
    await sleep(Math.random() * 1000); // viewers do not arrive in lockstep
    while (!stop()) {
      let changed = false;
      let target = 1;
      try {
        const r = await fetch(url);
        const text = await r.text();
        bytes += Buffer.byteLength(text);
        if (r.status === 200) {
          const pl = parsePlaylist(text);
          target = pl.target || 1;
          const todo = last < 0 ? pl.segments.slice(-3) : pl.segments.filter((s) => s.seq > last);
          for (const s of todo) {
            if (stop()) break;
            const res = await fetch(base + s.uri);
            const buf = await res.arrayBuffer();
            if (res.status === 200) bytes += buf.byteLength;
            else errors++;
            last = Math.max(last, s.seq);
            changed = true;
          }
        } else errors++;
      } catch {
        errors++;
      }
      await sleep((changed ? target : target / 2) * 1000);
    }
  })();
  return { bytes: () => bytes, errors: () => errors, done };
}

async function liveHlsBench(seconds: number): Promise<void> {
  if (!require('node:fs').existsSync(resolve(root, 'models/yolo11n.onnx'))) throw new Error('models/yolo11n.onnx is missing; run ./crowdsafe setup');
  const width = argOf('hls-width', 1280);
  const height = Math.round((width * 9) / 16 / 2) * 2;
  const fps = argOf('hls-fps', 15);
  const dataDir = mkdtempSync(join(tmpdir(), 'cs-bench-hls-'));
  const log: SourceLog = { sent: new Map() };
  const source = await startSource(fps, width, height, (stampMs, at, bytes) => {
    log.sent.set(stampMs, { at, bytes });
    if (log.sent.size > 4000) log.sent.delete(log.sent.keys().next().value as number); // bounded: the oldest goes
  });
  const segmentS = argOf('hls-segment', 1);
  const maxHeight = argOf('hls-max-height', 0);
  const { child, info } = await startHlsApi(dataDir, source.url, segmentS, maxHeight);
  const pid = child.pid as number;
  try {
    console.log(`\nlive HLS through the api — ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}; camera: ${width}x${height} MJPEG at ${fps} fps with its emission time stamped in the pixels; LIVE_HLS_MODE=auto (MJPEG -> on-demand transcode <= 960x${maxHeight || 540} ultrafast, 15 fps, ${segmentS} s segments, linger ${LINGER_S} s); ${seconds} s per phase`);
    // Nobody watching: the camera ffmpeg runs (with its feed), no transcoder.
    for (let i = 0; i < 60 && !ffmpegChildren(pid).pids.length; i++) await sleep(500);
    await sleep(3000);
    const idleRow = await phaseCpu(pid, seconds);
    console.log(`no viewer:  ffmpeg CPU ${idleRow.ffmpeg.toFixed(1)} % of a core (camera ffmpeg incl. its feed), api ${idleRow.api.toFixed(1)} %, transcoder running: ${idleRow.transcoding}`);
    const url = await ticketUrl(info);
    const t0 = Date.now();
    const firstStatus = (await fetch(url)).status;
    console.log(`first playlist request: HTTP ${firstStatus} after ${Date.now() - t0} ms (the transcode starts on it)`);
    for (let i = 0; i < 120; i++) {
      const r = await fetch(url);
      if (r.status === 200 && parsePlaylist(await r.text()).segments.length >= 2) break;
      await sleep(500);
    }
    const lat = await latencyProbe({ url: await ticketUrl(info), seconds, width, height, fps, liveDir: join(dataDir, 'recordings', 'live', info.cameraId), sourcePort: Number(new URL(source.url).port), source: log, pids: () => ffmpegPids(pid) });
    const g2g = lat.firstFrames.map((x) => x + segmentS * 1000);
    console.log(`glass-to-glass (stamped frames, ${lat.segments} segments, ${lat.missed} missed, ${lat.frames.length} frames, ${lat.unreadable} unreadable):`);
    console.log(`  frame emitted -> its segment in the viewer's hands: p50 ${pctl(lat.frames, 50)} ms, p95 ${pctl(lat.frames, 95)} ms, max ${pctl(lat.frames, 100)} ms`);
    console.log(`  segment's first frame -> segment in hand:          p50 ${pctl(lat.firstFrames, 50)} ms, p95 ${pctl(lat.firstFrames, 95)} ms`);
    console.log(`  glass-to-glass at the player (+ 1 segment buffered, ${segmentS} s): p50 ${pctl(g2g, 50)} ms, p95 ${pctl(g2g, 95)} ms (spec < 3000 ms), load average ${loadavg()[0].toFixed(1)}`);
    for (const l of breakdownLines(lat)) console.log(l);
    if (process.argv.includes('--hls-latency-only')) return;
    const rows: { viewers: number; cpu: number; ffmpeg: number; transcoding: boolean; bps: number; errors: number }[] = [];
    // The transcode of the latency probe lingers: the 0-viewer phase starts once it has stopped.
    for (let i = 0; i < 4 * (LINGER_S + 5) && ffmpegChildren(pid).transcoding; i++) await sleep(250);
    for (const n of [0, 1, 10, 50]) {
      let stop = false;
      const urls = await Promise.all(Array.from({ length: n }, () => ticketUrl(info)));
      const viewers = urls.map((u) => hlsJsViewer(u, () => stop));
      await sleep(3000);
      const b0 = viewers.reduce((a, v) => a + v.bytes(), 0);
      const c = await phaseCpu(pid, seconds);
      const b1 = viewers.reduce((a, v) => a + v.bytes(), 0);
      stop = true;
      await Promise.all(viewers.map((v) => v.done));
      rows.push({ viewers: n, cpu: c.api, ffmpeg: c.ffmpeg, transcoding: c.transcoding, bps: (b1 - b0) / c.wall, errors: viewers.reduce((a, v) => a + v.errors(), 0) });
      await sleep(1500);
    }
    const idle = rows[0].cpu;
    console.log('\nHLS viewers of one camera  api CPU %  (over idle)  ffmpeg CPU %  transcoder  bytes/s served   Mbit/s  errors');
    for (const r of rows) {
      console.log(`${String(r.viewers).padStart(26)}  ${r.cpu.toFixed(1).padStart(9)}  ${(r.viewers ? `+${(r.cpu - idle).toFixed(1)}` : '-').padStart(11)}  ${r.ffmpeg.toFixed(1).padStart(12)}  ${(r.transcoding ? 'running' : 'idle').padStart(10)}  ${Math.round(r.bps).toLocaleString('en').padStart(14)}  ${((r.bps * 8) / 1e6).toFixed(2).padStart(7)}  ${String(r.errors).padStart(6)}`);
    }
    const one = rows.find((r) => r.viewers === 1);
    console.log(`\nsummary: HLS transcode ${Number.isNaN(hlsTranscodeCpuPct) ? '-' : hlsTranscodeCpuPct.toFixed(1)} % of a core per camera when always on; on demand, no viewer: feed ${Number.isNaN(feedCpuPct) ? '-' : feedCpuPct.toFixed(1)} % (sample), camera ffmpeg ${idleRow.ffmpeg.toFixed(1)} % -> one viewer ${one ? one.ffmpeg.toFixed(1) : '-'} % (camera + transcoder); HLS glass-to-glass p95 ${pctl(g2g, 95)} ms (${segmentS} s segments, ${width}x${height})`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 3000).unref() && child.once('exit', r));
    if (child.exitCode === null) child.kill('SIGKILL');
    source.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--hls-api-child')) {
  hlsApiChild().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
