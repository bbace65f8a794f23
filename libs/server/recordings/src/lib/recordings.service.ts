import { randomUUID } from 'node:crypto';
import { mkdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Inject, Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { RecordingState, RecordingStatusEvent } from '@crowdsafe/contracts';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { ClusterBus, type ClusterRefusal, LiveEventsPublisher, type EngineAlertEvent } from '@crowdsafe/server-core';
import { CameraRepository, type RecordingRecord, type RecordingTrigger } from '@crowdsafe/server-database';
import { AlertsService } from '@crowdsafe/server-alerts';
import { CameraLiveState } from '@crowdsafe/pipeline';
import { assembleClip } from './clip-assembler';
import { RecordingHlsCache } from './recording-hls';
import { clipPaths, insideRoot } from './recording-paths';
import { RecordingRequestError } from './recording-errors';
import { RecordingRepository } from './recording.repository';
import { planClip } from './segment-plan';
import { SegmentRecorder } from './segment-recorder';

const TICK_MS = 1000;
const PRUNE_EVERY_MS = 10_000;
/** Longest time a finished recording waits for the segment that covers its end. */
const MAX_WAIT_FACTOR = 3;
const MAX_WAIT_MS = 300_000;
export const MIN_ON_DEMAND_S = 5;
/** At most this many recordings in progress per camera (on-demand + alert clips). */
const MAX_ACTIVE_PER_CAMERA = 16;

interface ActiveRecording {
  id: string;
  cameraId: string;
  trigger: RecordingTrigger;
  alertId: string | null;
  startMs: number;
  endMs: number;
  /** stop() was called (a second stop is a conflict). */
  stopped: boolean;
  finishing: boolean;
}

/**
 * Recordings of the cameras running in this process: on-demand (start/stop or a duration), and automatic clips of
 * WARNING/CRITICAL alerts (pre-roll from the rolling segment buffer + post-roll, extended while the alert
 * escalates). A recording waits until the segments covering its end are finished, then its clip is assembled
 * without re-encoding. Publishes `recording_status` at every change. One owner per recording: this service.
 */
@Injectable()
export class RecordingsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Recordings');
  private readonly active = new Map<string, ActiveRecording>();
  private timer?: NodeJS.Timeout;
  private lastPruneMs = 0;
  private ticking = false;
  private unsubscribeAlerts?: () => void;
  readonly root: string;
  /** HLS VOD playlists of clips (DATA_DIR/recordings/hls-cache/<id>/), made on demand. */
  readonly hls: RecordingHlsCache;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly recorder: SegmentRecorder,
    private readonly recordings: RecordingRepository,
    private readonly cameras: CameraRepository,
    private readonly live: LiveEventsPublisher,
    @Optional() @Inject(CameraLiveState) private readonly cameraState: CameraLiveState | null = null,
    @Optional() @Inject(AlertsService) private readonly alerts: AlertsService | null = null,
    @Optional() @Inject(ClusterBus) private readonly bus: ClusterBus | null = null,
  ) {
    this.root = config.recordings.dir;
    this.hls = new RecordingHlsCache(join(this.root, 'hls-cache'), config.cameras.ffmpegPath);
  }

  async onModuleInit(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    if (this.config.cameras.enabled) {
      for (const row of await this.recordings.unfinished()) {
        await this.recordings.update(row.id, { status: 'failed', error: 'server restarted before the recording was finished', endTime: row.endTime ?? new Date() });
      }
    }
    this.unsubscribeAlerts = this.alerts?.onEvent((ev) => this.onAlert(ev));
    // Distributed mode: an api replica without cameras asks the process that runs the camera (or the recording).
    this.bus?.handle('recording-start', async ({ cameraId, durationS, userId }) => {
      if (!this.cameraState?.health(cameraId)) return null;
      return this.refusalOr(async () => ({ ok: true as const, recordingId: (await this.startHere(cameraId, durationS, userId)).id }));
    });
    this.bus?.handle('recording-stop', async ({ recordingId }) => {
      if (!this.active.has(recordingId)) return null;
      return this.refusalOr(async () => (await this.stopHere(recordingId), { ok: true as const }));
    });
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.unsubscribeAlerts?.();
    if (this.timer) clearInterval(this.timer);
    // Recordings still open are finished with what exists (the cameras are stopping too).
    await this.tick(true);
  }

  /** Start of the earliest recording in progress of a camera (its segments must stay), or null. */
  pinnedFrom(cameraId: string): number | null {
    let min: number | null = null;
    for (const a of this.active.values()) if (a.cameraId === cameraId && (min === null || a.startMs < min)) min = a.startMs;
    return min;
  }

  activeIds(): string[] {
    return [...this.active.keys()];
  }

  /**
   * On-demand recording from now, for `durationS` or until stopped (at most RECORDING_MAX_DURATION_S), in the process
   * that runs the camera: here, or (distributed mode) the one that answers over the cluster bus.
   */
  async start(cameraId: string, durationS: number | undefined, userId: string | null): Promise<RecordingRecord> {
    const max = this.config.recordings.maxDurationS;
    if (durationS !== undefined && !(Number.isFinite(durationS) && durationS >= MIN_ON_DEMAND_S && durationS <= max)) {
      throw new RecordingRequestError(400, `durationS must be between ${MIN_ON_DEMAND_S} and ${max} seconds`);
    }
    if (!this.config.recordings.enabled) throw new RecordingRequestError(503, 'recording is disabled (RECORDINGS_ENABLED=false)');
    const camera = await this.cameras.findById(cameraId);
    if (!camera) throw new RecordingRequestError(404, `camera ${cameraId} not found`);
    if (this.cameraState?.health(cameraId) || !this.bus) return this.startHere(cameraId, durationS, userId);
    const reply = await this.bus.request('recording-start', { cameraId, ...(durationS !== undefined ? { durationS } : {}), userId });
    const [answer] = reply.answers;
    if (!answer) {
      if (!reply.complete) throw new RecordingRequestError(503, `the process running camera ${cameraId} did not answer; try again`);
      throw new RecordingRequestError(409, `camera ${cameraId} is not running (inactive, or no camera process runs it)`);
    }
    if (!answer.ok) throw new RecordingRequestError(statusOf(answer), answer.error);
    const row = await this.recordings.findById(answer.recordingId);
    if (!row) throw new RecordingRequestError(503, `recording ${answer.recordingId} was started but its row is not readable yet; try again`);
    return row;
  }

  private async startHere(cameraId: string, durationS: number | undefined, userId: string | null): Promise<RecordingRecord> {
    const max = this.config.recordings.maxDurationS;
    this.assertRecordable(cameraId);
    const busy = [...this.active.values()].find((a) => a.cameraId === cameraId && a.trigger === 'manual' && !a.finishing);
    if (busy) throw new RecordingRequestError(409, `camera ${cameraId} already has an on-demand recording in progress (${busy.id}); stop it first`);
    const now = Date.now();
    return this.open({ cameraId, trigger: 'manual', alertId: null, startMs: now, endMs: now + (durationS ?? max) * 1000, createdBy: userId });
  }

  /** Ends a recording in progress now (in the process that records it); its clip is assembled once the covering segment is finished. */
  async stop(id: string): Promise<RecordingRecord> {
    const row = await this.recordings.findById(id);
    if (!row) throw new RecordingRequestError(404, `recording ${id} not found`);
    if (this.active.has(id) || row.status !== 'recording' || !this.bus) return this.stopHere(id, row);
    const reply = await this.bus.request('recording-stop', { recordingId: id });
    const [answer] = reply.answers;
    if (!answer) {
      if (!reply.complete) throw new RecordingRequestError(503, `the process recording ${id} did not answer; try again`);
      throw new RecordingRequestError(409, `recording ${id} is ${row.status}, but no process is recording it`);
    }
    if (!answer.ok) throw new RecordingRequestError(statusOf(answer), answer.error);
    return row;
  }

  private async stopHere(id: string, known?: RecordingRecord): Promise<RecordingRecord> {
    const row = known ?? (await this.recordings.findById(id));
    if (!row) throw new RecordingRequestError(404, `recording ${id} not found`);
    const a = this.active.get(id);
    if (!a || a.finishing || row.status !== 'recording') throw new RecordingRequestError(409, `recording ${id} is ${row.status}, not recording`);
    if (a.stopped) throw new RecordingRequestError(409, `recording ${id} is already stopping`);
    a.stopped = true;
    a.endMs = Math.max(a.startMs + 1000, Math.min(a.endMs, Date.now()));
    return row;
  }

  /** A refused request as a cluster answer (the asking process answers its client with the same status). */
  private async refusalOr<T>(fn: () => Promise<T>): Promise<T | ClusterRefusal> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof RecordingRequestError) return { ok: false, status: err.status, error: err.message };
      throw err;
    }
  }

  /** Deletes a finished recording: its row, clip and thumbnail. */
  async remove(id: string): Promise<void> {
    const row = await this.recordings.findById(id);
    if (!row) throw new RecordingRequestError(404, `recording ${id} not found`);
    if (this.active.has(id)) throw new RecordingRequestError(409, `recording ${id} is still ${row.status}; stop it and wait for it to finish`);
    await this.deleteFiles(row);
    await this.recordings.delete(id);
    this.publish(row, 'deleted');
  }

  async deleteFiles(row: Pick<RecordingRecord, 'filePath' | 'thumbnailPath'>): Promise<void> {
    const id = row.filePath ? basename(row.filePath).replace(/\.mp4$/, '') : null;
    if (id) await this.hls.remove(id).catch(() => undefined);
    for (const rel of [row.filePath, row.thumbnailPath]) {
      const abs = insideRoot(this.root, rel);
      if (abs) await unlink(abs).catch(() => undefined);
    }
  }

  // ---- alerts --------------------------------------------------------------------------------------------------

  private onAlert(ev: EngineAlertEvent): void {
    const r = this.config.recordings;
    if (!r.enabled || (ev.type !== 'opened' && ev.type !== 'escalated')) return;
    if (ev.alert.condition === 'camera_offline' || ev.alert.condition === 'system_error') return;
    if (!r.alertLevels.includes(ev.alert.level)) return;
    const cameraId = ev.alert.cameraId;
    if (!this.recorder.store.isRecording(cameraId)) return; // not a camera of this process, or not streaming
    const now = Date.now();
    // The engine's time when it is the wall clock (replayed/synthetic streams use now).
    const at = Math.abs(ev.at - now) < 60_000 ? ev.at : now;
    const running = [...this.active.values()].find((a) => a.alertId === ev.alert.id && !a.finishing);
    if (running) {
      running.endMs = Math.max(running.endMs, at + r.alertPostrollS * 1000);
      return;
    }
    void this.open({ cameraId, trigger: 'alert', alertId: ev.alert.id, startMs: at - r.alertPrerollS * 1000, endMs: at + r.alertPostrollS * 1000, createdBy: null }).catch((err: unknown) =>
      this.logger.warn(`could not start the clip of alert ${ev.alert.id}: ${String(err)}`),
    );
  }

  // ---- lifecycle -----------------------------------------------------------------------------------------------

  private assertRecordable(cameraId: string): void {
    const health = this.cameraState?.health(cameraId);
    if (!health) throw new RecordingRequestError(409, `camera ${cameraId} is not running in this process (inactive, or CAMERAS_ENABLED=false)`);
    const status = health.status;
    if (status !== 'online') throw new RecordingRequestError(409, `camera ${cameraId} is ${status}: there is no video to record`);
    if (!this.recorder.store.isRecording(cameraId)) throw new RecordingRequestError(409, `camera ${cameraId} has no segment output (restart the camera)`);
  }

  private async open(o: { cameraId: string; trigger: RecordingTrigger; alertId: string | null; startMs: number; endMs: number; createdBy: string | null }): Promise<RecordingRecord> {
    const perCamera = [...this.active.values()].filter((a) => a.cameraId === o.cameraId).length;
    if (perCamera >= MAX_ACTIVE_PER_CAMERA) throw new RecordingRequestError(409, `camera ${o.cameraId} already has ${perCamera} recordings in progress`);
    const id = randomUUID();
    const paths = clipPaths(o.cameraId, id);
    const row = await this.recordings.insert({
      id,
      cameraId: o.cameraId,
      alertId: o.alertId,
      trigger: o.trigger,
      status: 'recording',
      startTime: new Date(o.startMs),
      filePath: paths.mp4,
      createdBy: o.createdBy,
      isProtected: o.trigger === 'alert' && this.config.recordings.protectAlertClips,
    });
    this.active.set(id, { id, cameraId: o.cameraId, trigger: o.trigger, alertId: o.alertId, startMs: o.startMs, endMs: o.endMs, stopped: false, finishing: false });
    this.publish(row, 'recording', 0);
    this.logger.log(`recording ${id} (${o.trigger}) started on camera ${o.cameraId}`);
    return row;
  }

  /** Reads new segments, finishes due recordings, prunes the rolling buffer. `final`: finish everything now. */
  async tick(final = false): Promise<void> {
    if (this.ticking && !final) return;
    this.ticking = true;
    try {
      await this.recorder.store.refresh();
      void this.recorder.learnGops();
      const now = Date.now();
      const segS = this.config.recordings.segmentS;
      for (const a of [...this.active.values()]) {
        if (a.finishing) continue;
        if (final) a.endMs = Math.min(a.endMs, now);
        if (now < a.endMs) continue;
        const segs = this.recorder.store.segments(a.cameraId);
        const covered = segs.some((s) => s.endMs >= a.endMs);
        // The camera's ffmpeg is gone (stopped, crashed and not back yet): finish with what was recorded.
        const stale = !this.recorder.store.isRecording(a.cameraId) && now - this.recorder.store.lastActivity(a.cameraId) > 3000;
        // A loaded host writes segments late: wait up to 3 segments (>= 30 s) for the one covering the end — 3 of the
        // camera's recent segments in wall time when its ffmpeg runs slower than real time (at most MAX_WAIT_MS).
        const waitMs = Math.min(MAX_WAIT_MS, Math.max(30_000, (MAX_WAIT_FACTOR * segS + 5) * 1000, MAX_WAIT_FACTOR * this.recorder.store.recentSegmentWallMs(a.cameraId) + 5000));
        const tooLong = now > a.endMs + waitMs;
        if (covered || stale || tooLong || final) {
          a.finishing = true;
          const job = this.finish(a);
          if (final) await job;
        }
      }
      if (now - this.lastPruneMs >= PRUNE_EVERY_MS && !final) {
        this.lastPruneMs = now;
        const r = this.config.recordings;
        await this.recorder.store.prune(now, r.bufferS * 1000, r.retentionDays.continuous * 86_400_000, (id) => this.pinnedFrom(id));
      }
    } catch (err) {
      this.logger.warn(`recordings tick failed: ${String(err)}`);
    } finally {
      this.ticking = false;
    }
  }

  private async finish(a: ActiveRecording): Promise<void> {
    let row = await this.recordings.update(a.id, { status: 'processing' });
    if (row) this.publish(row, 'processing');
    try {
      const plan = planClip(this.recorder.store.segments(a.cameraId), a.startMs, a.endMs);
      if (!plan) throw new Error(`no video was recorded between ${new Date(a.startMs).toISOString()} and ${new Date(a.endMs).toISOString()}`);
      const paths = clipPaths(a.cameraId, a.id);
      const abs = { mp4: insideRoot(this.root, paths.mp4), thumbnail: insideRoot(this.root, paths.thumbnail), list: insideRoot(this.root, paths.list) };
      if (!abs.mp4 || !abs.thumbnail || !abs.list) throw new Error('clip path outside the recordings directory');
      await mkdir(dirname(abs.mp4), { recursive: true });
      const clip = await assembleClip(plan, { mp4: abs.mp4, thumbnail: abs.thumbnail, list: abs.list }, { ffmpeg: this.config.cameras.ffmpegPath, ffprobe: this.config.cameras.ffprobePath });
      const endMs = plan.endMs;
      const startMs = endMs - clip.durationS * 1000;
      const peaks = await this.recordings.peaks(a.cameraId, new Date(startMs), new Date(endMs)).catch(() => ({ count: null, density: null, risk: null }));
      row = await this.recordings.update(a.id, {
        status: 'completed',
        startTime: new Date(startMs),
        endTime: new Date(endMs),
        durationS: Math.round(clip.durationS * 1000) / 1000,
        sizeBytes: clip.bytes,
        thumbnailPath: clip.thumbnail ? paths.thumbnail : null,
        peakCount: peaks.count,
        peakDensity: peaks.density,
        peakRiskScore: peaks.risk,
      });
      this.logger.log(`recording ${a.id} completed: ${clip.durationS.toFixed(1)} s ${clip.codec}, ${clip.bytes} bytes`);
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      this.logger.warn(`recording ${a.id} failed: ${message}`);
      row = await this.recordings.update(a.id, { status: 'failed', endTime: new Date(a.endMs), error: message }).catch(() => null);
    } finally {
      this.active.delete(a.id);
    }
    if (row) this.publish(row, row.status);
  }

  private publish(row: RecordingRecord, status: RecordingState, duration?: number): void {
    const event: RecordingStatusEvent = {
      camera_id: row.cameraId,
      recording_id: row.id,
      status,
      trigger: row.trigger,
      duration: duration ?? row.durationS ?? null,
      alert_id: row.alertId,
      at: new Date().toISOString(),
    };
    this.live.publishRecordingStatus(event);
  }
}

/** A cluster refusal's status as one RecordingRequestError may carry (anything else: 503). */
function statusOf(r: ClusterRefusal): 400 | 404 | 409 | 503 {
  return r.status === 400 || r.status === 404 || r.status === 409 ? r.status : 503;
}
