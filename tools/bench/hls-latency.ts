// Live HLS latency probe of `bench recordings`: one viewer polling the ticketed playlist every 100 ms, and where each
// segment's latency goes (camera JPEG encode, camera TCP queue, camera ffmpeg + transcoder, segment fill, serving).
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BITS, blockRect } from './live';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const pctl = (xs: number[], p: number): number => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

export interface Playlist {
  seq: number;
  target: number;
  segments: { uri: string; seq: number; duration: number }[];
}

export function parsePlaylist(text: string): Playlist {
  let seq = 0;
  let target = 1;
  let dur = 0;
  const segments: Playlist['segments'] = [];
  for (const l of text.split('\n')) {
    if (l.startsWith('#EXT-X-MEDIA-SEQUENCE:')) seq = Number(l.slice(22));
    else if (l.startsWith('#EXT-X-TARGETDURATION:')) target = Number(l.slice(22));
    else if (l.startsWith('#EXTINF:')) dur = Number(l.slice(8).split(',')[0]);
    else if (l && !l.startsWith('#')) segments.push({ uri: l.trim(), seq: seq + segments.length, duration: dur });
  }
  return { seq, target, segments };
}

/** The emission times stamped in the frames of an MPEG-TS segment (decoded at the source's size, grey). */
function stampsOf(ts: Buffer, width: number, height: number): Promise<(number | null)[]> {
  return new Promise((res, rej) => {
    const ff = spawn('ffmpeg', ['-v', 'error', '-i', 'pipe:0', '-vf', `scale=${width}:${height}`, '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1']);
    const chunks: Buffer[] = [];
    ff.stdout.on('data', (c: Buffer) => chunks.push(c));
    ff.on('error', rej);
    ff.on('close', () => {
      const all = Buffer.concat(chunks);
      const size = width * height;
      const out: (number | null)[] = [];
      for (let off = 0; off + size <= all.length; off += size) {
        let ms = 0;
        let ok = true;
        for (let i = 0; i < BITS && ok; i++) {
          const r = blockRect(i, width);
          const cx = Math.round(r.x + r.w / 2);
          const cy = Math.round(r.y + r.h / 2);
          let sum = 0;
          for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) sum += all[off + (cy + dy) * width + cx + dx];
          const v = sum / 9;
          if (v > 80 && v < 175) ok = false;
          ms = ms * 2 + (v >= 128 ? 1 : 0);
        }
        out.push(ok ? ms : null);
      }
      res(out);
    });
    ff.stdin.on('error', () => undefined);
    ff.stdin.end(ts);
  });
}

/** Bytes queued in the kernel between the camera (HTTP server on `port`) and its reader, both socket ends. */
function tcpQueuedBytes(port: number): Promise<number> {
  return new Promise((res) =>
    execFile('ss', ['-tnH', 'state', 'established', `( sport = :${port} or dport = :${port} )`], (err, out) => {
      if (err) return res(NaN);
      let n = 0;
      for (const l of out.split('\n')) {
        const [rq, sq] = l.trim().split(/\s+/).map(Number);
        if (Number.isFinite(rq) && Number.isFinite(sq)) n += rq + sq;
      }
      res(n);
    }),
  );
}

/** Where a process is, from /proc: 'R' (running or waiting for a CPU), else its kernel wait channel (pipe_write, ...). */
function procState(pid: number): string | null {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[0];
    if (state === 'R') return 'R (on/awaiting a CPU)';
    const wchan = readFileSync(`/proc/${pid}/wchan`, 'utf8').trim();
    return `${state} ${wchan || '?'}`;
  } catch {
    return null;
  }
}

/** Shares of the samples per state, most frequent first: "R 40 %, S pipe_write 35 %, ...". */
export function stateShares(samples: string[]): string {
  if (!samples.length) return '-';
  const n = new Map<string, number>();
  for (const x of samples) n.set(x, (n.get(x) ?? 0) + 1);
  return [...n].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, c]) => `${k} ${Math.round((100 * c) / samples.length)} %`).join(', ');
}

export interface SourceLog {
  /** The camera's stamped emission time -> when its JPEG was handed to the socket, and its size. */
  sent: Map<number, { at: number; bytes: number }>;
}

export interface ProbeResult {
  /** Per frame: arrival at the viewer − emission. */
  frames: number[];
  /** Per segment: arrival − emission of its first frame. */
  firstFrames: number[];
  unreadable: number;
  segments: number;
  missed: number;
  /** Frames per second the camera got out (it drops those its client is not ready for). */
  sourceFps: number;
  /** Where the camera's ffmpeg and the transcoder spent the run (sampled every 50 ms from /proc). */
  cameraStates: string;
  transcoderStates: string;
  /** Where the latency of a segment's first frame goes (ms per segment, or per sample for the queue). */
  parts: {
    /** The camera's JPEG encode: stamped → handed to the socket (per frame). */
    cameraEncode: number[];
    /** Frames waiting in the TCP queue between the camera and its ffmpeg (kernel bytes / frame bytes × frame interval; sampled). */
    ingestQueue: number[];
    /** Segment close on disk − emission of the next segment's first frame (what closes it): camera encode + TCP queue + camera ffmpeg + UDP + transcoder decode/encode/mux. */
    pipeline: number[];
    /** pipeline − camera encode − TCP queue (medians): the camera's ffmpeg after reading + the transcoder. */
    ffmpegs: number[];
    /** A segment's span: its first frame's emission → the next segment's first frame's (~ the segment duration; longer when the camera sends fewer frames). */
    fill: number[];
    /** Segment listed on disk → in the viewer's hands (playlist poll + ticket check + fetch). */
    serve: number[];
  };
}

/**
 * One viewer polling fast and timing every frame: per-frame arrival − emission, and per segment its first frame's.
 * Segments are only fetched (arrival noted) during the run and decoded afterwards: decoding in between would make
 * the probe itself fall behind short segments on a loaded host. Meanwhile the camera's live playlist ON DISK is polled
 * every 20 ms (when each segment was closed) and the camera's TCP queue every 250 ms, for the breakdown.
 */
export async function latencyProbe(o: { url: string; seconds: number; width: number; height: number; fps: number; liveDir: string; sourcePort: number; source: SourceLog; pids: () => { camera?: number; transcoder?: number } }): Promise<ProbeResult> {
  const { url } = o;
  const base = url.slice(0, url.lastIndexOf('/') + 1);
  const seen = new Set<number>();
  const got: { seq: number; arrival: number; body: Buffer }[] = [];
  const onDisk = new Map<number, number>();
  const queueBytes: { at: number; bytes: number }[] = [];
  let missed = 0;
  const end = Date.now() + o.seconds * 1000;
  let done = false;
  const diskWatch = (async () => {
    while (!done) {
      try {
        const now = Date.now();
        for (const s of parsePlaylist(readFileSync(`${o.liveDir}/index.m3u8`, 'utf8')).segments) if (!onDisk.has(s.seq)) onDisk.set(s.seq, now);
      } catch {
        // not written yet / being replaced
      }
      await sleep(20);
    }
  })();
  const cameraStates: string[] = [];
  const transcoderStates: string[] = [];
  const queueWatch = (async () => {
    while (!done) {
      const bytes = await tcpQueuedBytes(o.sourcePort);
      if (Number.isFinite(bytes)) queueBytes.push({ at: Date.now(), bytes });
      await sleep(250);
    }
  })();
  const stateWatch = (async () => {
    let pids: { camera?: number; transcoder?: number } = {};
    for (let i = 0; !done; i++) {
      if (i % 20 === 0) pids = o.pids(); // a `ps` per second, /proc reads every 50 ms
      const { camera, transcoder } = pids;
      const c = camera ? procState(camera) : null;
      const t = transcoder ? procState(transcoder) : null;
      if (c) cameraStates.push(c);
      if (t) transcoderStates.push(t);
      await sleep(50);
    }
  })();
  let primed = false;
  while (Date.now() < end) {
    const r = await fetch(url);
    if (r.status === 200) {
      const pl = parsePlaylist(await r.text());
      for (const s of pl.segments) {
        if (seen.has(s.seq)) continue;
        seen.add(s.seq);
        if (!primed) continue; // segments listed before the probe started are not timed
        const res = await fetch(base + s.uri);
        if (res.status !== 200) {
          missed++;
          continue;
        }
        const body = Buffer.from(await res.arrayBuffer());
        got.push({ seq: s.seq, arrival: Date.now(), body });
      }
      primed = true;
    }
    await sleep(100);
  }
  done = true;
  await Promise.all([diskWatch, queueWatch, stateWatch]);

  const frameMs = 1000 / o.fps;
  const sent = [...o.source.sent.entries()].filter(([t]) => t >= end - o.seconds * 1000 - 5000);
  const cameraEncode = sent.map(([t, s]) => s.at - t);
  // Queued bytes drain at the rate the camera actually got its frames out (the camera drops frames its client cannot take).
  const span = sent.length > 1 ? sent[sent.length - 1][1].at - sent[0][1].at : 0;
  const bytesPerMs = span > 0 ? sent.slice(1).reduce((n, [, x]) => n + x.bytes, 0) / span : NaN;
  const ingestQueue = Number.isFinite(bytesPerMs) && bytesPerMs > 0 ? queueBytes.map((q) => q.bytes / bytesPerMs) : [];
  const result: ProbeResult = { frames: [], firstFrames: [], unreadable: 0, segments: got.length, missed, sourceFps: span > 0 ? ((sent.length - 1) * 1000) / span : NaN, cameraStates: stateShares(cameraStates), transcoderStates: stateShares(transcoderStates), parts: { cameraEncode, ingestQueue, pipeline: [], ffmpegs: [], fill: [], serve: [] } };
  const encMed = pctl(cameraEncode, 50) || 0;
  const queueMed = pctl(ingestQueue, 50) || 0;
  const decoded: { seq: number; arrival: number; valid: number[] }[] = [];
  for (const { seq, arrival, body } of got) {
    const valid: number[] = [];
    for (const t of await stampsOf(body, o.width, o.height)) {
      if (t === null || arrival - t < 0 || arrival - t > 60_000) result.unreadable++;
      else {
        valid.push(t);
        result.frames.push(arrival - t);
      }
    }
    if (valid.length) decoded.push({ seq, arrival, valid });
  }
  const firstOf = new Map(decoded.map((d) => [d.seq, d.valid[0]]));
  for (const { seq, arrival, valid } of decoded) {
    const first = valid[0];
    // The muxer closes a segment when the next one's first (key)frame is encoded: that frame's emission starts the clock.
    const next = firstOf.get(seq + 1) ?? valid[valid.length - 1] + frameMs;
    result.firstFrames.push(arrival - first);
    result.parts.fill.push(next - first);
    const disk = onDisk.get(seq);
    if (disk !== undefined) {
      const pipeline = disk - next;
      result.parts.pipeline.push(pipeline);
      result.parts.ffmpegs.push(pipeline - encMed - queueMed);
      result.parts.serve.push(arrival - disk);
    }
  }
  return result;
}

/** The breakdown as printable lines (p50 / p95 per part). */
export function breakdownLines(r: ProbeResult): string[] {
  const f = (xs: number[]) => `p50 ${Math.round(pctl(xs, 50))} ms, p95 ${Math.round(pctl(xs, 95))} ms (n=${xs.length})`;
  const p = r.parts;
  return [
    'where a segment\'s first frame spends its time (emission -> viewer):',
    `  camera JPEG encode (stamp -> socket)                  ${f(p.cameraEncode)}`,
    `  camera TCP queue (kernel bytes / sent bytes per ms)    ${f(p.ingestQueue)}   (camera got ${r.sourceFps.toFixed(1)} fps out)`,
    `  camera ffmpeg + UDP feed + transcoder (the rest)       ${f(p.ffmpegs)}`,
    `  = pipeline lag at segment close (disk - next frame)   ${f(p.pipeline)}`,
    `  segment fill (first frame -> next segment's first)    ${f(p.fill)}`,
    `  on disk -> in the viewer's hands (poll + fetch)        ${f(p.serve)}`,
    `camera ffmpeg states: ${r.cameraStates}`,
    `transcoder states:    ${r.transcoderStates}`,
  ];
}
