import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, readdir, stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { bandwidthOf, expiredSegments, parseSegmentList, placeSegment, segmentOutputArgs, type Segment } from './segment-plan';

/** At most this many finished segments indexed per camera (a day of 10 s segments; continuous mode keeps files beyond it). */
const MAX_SEGMENTS_PER_CAMERA = 8640;

interface Run {
  id: string;
  listPath: string;
  offset: number;
  partial: string;
  ended: boolean;
  startedMs: number;
  /** Wall-clock end of its last placed segment (the next one starts there). */
  lastEndMs: number | null;
}

interface CameraSegments {
  dir: string;
  runs: Run[];
  segments: Segment[];
  continuous: boolean;
  /** Last time a segment was finished or a run started (a camera with no fresh segments is not recording). */
  lastActivityMs: number;
}

/**
 * The segments of every camera in this process: where each ffmpeg run writes them (DATA_DIR/recordings/segments/
 * <cameraId>/<runId>-NNNNNN.ts + <runId>.csv), which are finished (read from ffmpeg's live CSV list; placed on the wall clock
 * from their stream times and the files' mtimes, see placeSegment), and the rolling buffer (older segments deleted unless a pending clip or continuous
 * recording needs them). Bounded per camera.
 */
export class SegmentStore {
  private readonly cameras = new Map<string, CameraSegments>();
  private reading: Promise<void> | null = null;

  constructor(private readonly root: string, private readonly segmentS: number, private readonly warn: (m: string) => void = () => undefined) {}

  /** Output arguments for a new ffmpeg run of this camera (also creates its folder). */
  newRun(cameraId: string, codec: string | undefined, continuous: boolean): { target: string; options: string[] } {
    const dir = join(this.root, cameraId);
    mkdirSync(dir, { recursive: true });
    const cam = this.camera(cameraId, dir);
    cam.continuous = continuous;
    for (const r of cam.runs) r.ended = true;
    const id = `${Date.now()}-${randomBytes(3).toString('hex')}`;
    const run: Run = { id, listPath: join(dir, `${id}.csv`), offset: 0, partial: '', ended: false, startedMs: Date.now(), lastEndMs: null };
    cam.runs.push(run);
    cam.lastActivityMs = Date.now();
    return segmentOutputArgs({ codec, segmentS: this.segmentS, pattern: join(dir, `${id}-%06d.ts`), listPath: run.listPath });
  }

  runEnded(cameraId: string): void {
    const cam = this.cameras.get(cameraId);
    if (cam) for (const r of cam.runs) r.ended = true;
  }

  /** True when the camera has an ffmpeg run writing segments right now. */
  isRecording(cameraId: string): boolean {
    return this.cameras.get(cameraId)?.runs.some((r) => !r.ended) ?? false;
  }

  /** The longest wall-clock span of a camera's last few segments (ms; 0 when none): how long a segment takes to finish. */
  recentSegmentWallMs(cameraId: string): number {
    return Math.max(0, ...this.segments(cameraId).slice(-3).map((s) => s.endMs - s.startMs));
  }

  lastActivity(cameraId: string): number {
    return this.cameras.get(cameraId)?.lastActivityMs ?? 0;
  }

  segments(cameraId: string): readonly Segment[] {
    return this.cameras.get(cameraId)?.segments ?? [];
  }

  cameraIds(): string[] {
    return [...this.cameras.keys()];
  }

  /** Measured recording bandwidth of a camera (bytes/s over its indexed segments). */
  bandwidth(cameraId: string): number {
    return bandwidthOf(this.segments(cameraId).slice(-30));
  }

  /** Reads every run's list for newly finished segments. Serialised; safe to call often. */
  refresh(): Promise<void> {
    this.reading ??= this.readAll().finally(() => (this.reading = null));
    return this.reading;
  }

  private async readAll(): Promise<void> {
    for (const [cameraId, cam] of this.cameras) {
      for (const run of [...cam.runs]) {
        await this.readRun(cameraId, cam, run).catch((err: unknown) => this.warn(`segment list ${run.listPath}: ${String(err)}`));
        // A run that has ended and whose list was read after the end is done.
        if (run.ended) cam.runs.splice(cam.runs.indexOf(run), 1);
      }
    }
  }

  private async readRun(cameraId: string, cam: CameraSegments, run: Run): Promise<void> {
    let fh;
    try {
      fh = await open(run.listPath, 'r');
    } catch {
      return; // not created yet (no segment finished)
    }
    try {
      const { size } = await fh.stat();
      if (size <= run.offset) return;
      const buf = Buffer.alloc(size - run.offset);
      await fh.read(buf, 0, buf.length, run.offset);
      run.offset = size;
      const text = run.partial + buf.toString('utf8');
      const { entries, consumed } = parseSegmentList(text);
      run.partial = text.slice(consumed);
      for (const e of entries) {
        const path = join(cam.dir, basename(e.file));
        const st = await stat(path).catch(() => null);
        if (!st) continue;
        // Its mtime is when ffmpeg closed it; it started where the run's previous segment ended (placeSegment).
        const { startMs, endMs } = placeSegment(run.lastEndMs, run.startedMs, e, st.mtimeMs);
        run.lastEndMs = endMs;
        cam.segments.push({ cameraId, path, startMs, endMs, streamStart: e.start, streamEnd: e.end, bytes: st.size });
        cam.lastActivityMs = Date.now();
      }
      if (cam.segments.length > MAX_SEGMENTS_PER_CAMERA) {
        const drop = cam.segments.splice(0, cam.segments.length - MAX_SEGMENTS_PER_CAMERA);
        if (!cam.continuous) await Promise.all(drop.map((s) => unlink(s.path).catch(() => undefined)));
      }
    } finally {
      await fh.close();
    }
  }

  /**
   * The rolling buffer: deletes segments older than `keepMs` (continuous cameras: `continuousKeepMs`) unless a pending
   * clip of that camera starts before their end (`pinnedFrom(cameraId)`), and files no run indexes any more
   * (left by a crash or a previous process) once older than the buffer. Returns the bytes freed.
   */
  async prune(nowMs: number, keepMs: number, continuousKeepMs: number, pinnedFrom: (cameraId: string) => number | null): Promise<number> {
    let freed = 0;
    for (const [cameraId, cam] of this.cameras) {
      const expired = expiredSegments(cam.segments, nowMs, cam.continuous ? continuousKeepMs : keepMs, pinnedFrom(cameraId));
      freed += await this.remove(cam, expired);
      freed += await this.sweepOrphans(cam, nowMs - Math.max(keepMs, cam.continuous ? continuousKeepMs : 0));
    }
    return freed;
  }

  /** Oldest segments beyond the pre-roll buffer that disk retention may delete (continuous recording). */
  deletableForDisk(nowMs: number, keepMs: number, pinnedFrom: (cameraId: string) => number | null): Segment[] {
    const out: Segment[] = [];
    for (const [cameraId, cam] of this.cameras) out.push(...expiredSegments(cam.segments, nowMs, keepMs, pinnedFrom(cameraId)));
    return out.sort((a, b) => a.startMs - b.startMs);
  }

  async deleteSegment(seg: Segment): Promise<number> {
    const cam = this.cameras.get(seg.cameraId);
    return cam ? this.remove(cam, [seg]) : 0;
  }

  private async remove(cam: CameraSegments, segs: readonly Segment[]): Promise<number> {
    if (!segs.length) return 0;
    const gone = new Set(segs);
    cam.segments = cam.segments.filter((s) => !gone.has(s));
    let freed = 0;
    for (const s of segs) {
      try {
        await unlink(s.path);
        freed += s.bytes;
      } catch {
        // already gone
      }
    }
    return freed;
  }

  private async sweepOrphans(cam: CameraSegments, olderThanMs: number): Promise<number> {
    const known = new Set(cam.segments.map((s) => basename(s.path)));
    const liveRuns = new Set(cam.runs.map((r) => r.id));
    let freed = 0;
    let names: string[];
    try {
      names = await readdir(cam.dir);
    } catch {
      return 0;
    }
    for (const name of names) {
      if (known.has(name)) continue;
      const runId = /^(\d+-[0-9a-f]{6})(?:-\d{6}\.ts|\.csv)$/.exec(name)?.[1];
      if (!runId || liveRuns.has(runId)) continue;
      const path = join(cam.dir, name);
      const st = await stat(path).catch(() => null);
      if (!st || st.mtimeMs >= olderThanMs) continue;
      await unlink(path).catch(() => undefined);
      freed += st.size;
    }
    return freed;
  }

  private camera(cameraId: string, dir: string): CameraSegments {
    let cam = this.cameras.get(cameraId);
    if (!cam) {
      cam = { dir, runs: [], segments: [], continuous: false, lastActivityMs: 0 };
      this.cameras.set(cameraId, cam);
    }
    return cam;
  }
}
