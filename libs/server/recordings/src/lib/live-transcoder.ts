import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { hlsTranscoderArgs } from './segment-plan';

/** A camera whose ffmpeg copies its video into a loopback UDP feed (set by the recorder for each run). */
export interface TranscodeFeed {
  format: 'mpegts' | 'mjpeg';
  port: number;
  maxWidth: number;
  /** Height bound of the rendition (LIVE_HLS_MAX_HEIGHT); none: the width only. */
  maxHeight?: number;
  fps: number;
}

/** What the transcoder needs of a spawned ffmpeg (a ChildProcess, or a fake in the unit tests). */
export interface TranscoderChild {
  readonly pid?: number;
  kill(signal?: NodeJS.Signals): boolean;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
}

export type SpawnTranscoder = (ffmpeg: string, args: string[]) => TranscoderChild;

export interface LiveTranscoderOptions {
  ffmpegPath: string;
  segmentS: number;
  /** Stop a camera's transcode after this long without a request (ms). */
  lingerMs: number;
  /** Cameras transcoding at once. */
  maxSessions: number;
  /** At most one start per camera per this long (ms): an ffmpeg that keeps dying is not respawned in a loop. */
  restartBackoffMs?: number;
  liveDir: (cameraId: string) => string;
  spawn?: SpawnTranscoder;
  now?: () => number;
  log?: (message: string) => void;
}

/** The outcome of a viewer's request: the transcode runs (started now or before), or why it does not. */
export type TouchResult = 'running' | 'started' | 'no-feed' | 'busy' | 'backoff';

interface Session {
  child: TranscoderChild;
  startedAt: number;
  lastRequestAt: number;
  stopping: boolean;
}

const defaultSpawn: SpawnTranscoder = (ffmpeg, args) => spawn(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });

/**
 * On-demand live HLS transcode (LIVE_HLS_MODE transcode/auto): a camera's transcode runs only while it is watched.
 * The camera's own ffmpeg copies its video into a loopback UDP feed (no encoding, ~nothing when nobody listens);
 * the first playlist/segment request of a viewer starts a separate ffmpeg that reads the feed and writes the
 * transcoded live playlist; every request keeps it alive; `sweep` stops it `lingerMs` after the last request. An
 * ffmpeg that dies is forgotten and the next request starts a new one (at most one start per `restartBackoffMs`).
 * Bounded: one session per camera with a feed, at most `maxSessions` at once; feeds are one per camera.
 */
export class LiveTranscoder {
  private readonly feeds = new Map<string, TranscodeFeed>();
  private readonly sessions = new Map<string, Session>();
  private readonly lastStart = new Map<string, number>();
  /** Stopped transcodes not exited yet: their UDP port is still bound, a new one could not read the feed. */
  private readonly exiting = new Map<string, TranscoderChild>();
  private readonly spawnFn: SpawnTranscoder;
  private readonly now: () => number;
  private readonly backoffMs: number;

  constructor(private readonly o: LiveTranscoderOptions) {
    if (!(o.lingerMs > 0)) throw new Error(`lingerMs must be > 0 (got ${o.lingerMs})`);
    if (!Number.isInteger(o.maxSessions) || o.maxSessions < 1) throw new Error(`maxSessions must be an integer >= 1 (got ${o.maxSessions})`);
    if (!(o.segmentS > 0)) throw new Error(`segmentS must be > 0 (got ${o.segmentS})`);
    this.spawnFn = o.spawn ?? defaultSpawn;
    this.now = o.now ?? Date.now;
    this.backoffMs = o.restartBackoffMs ?? 2_000;
  }

  /** The camera's current run feeds the transcoder (replaces an earlier feed; a running transcode of another port stops). */
  setFeed(cameraId: string, feed: TranscodeFeed): void {
    const old = this.feeds.get(cameraId);
    this.feeds.set(cameraId, feed);
    if (old && old.port !== feed.port) this.stop(cameraId);
  }

  /** The camera no longer feeds a transcoder (its run is copied, or HLS is off for it): its transcode stops. */
  dropFeed(cameraId: string): void {
    this.feeds.delete(cameraId);
    this.lastStart.delete(cameraId);
    this.stop(cameraId);
  }

  hasFeed(cameraId: string): boolean {
    return this.feeds.has(cameraId);
  }

  /** The feed of a camera (its port is kept across runs). */
  feedOf(cameraId: string): TranscodeFeed | undefined {
    return this.feeds.get(cameraId);
  }

  /** A viewer asked for the camera's playlist or a segment: keep its transcode alive, starting it when needed. */
  touch(cameraId: string): TouchResult {
    const now = this.now();
    const running = this.sessions.get(cameraId);
    if (running && !running.stopping) {
      running.lastRequestAt = now;
      return 'running';
    }
    const feed = this.feeds.get(cameraId);
    if (!feed) return 'no-feed';
    if (this.activeCount() >= this.o.maxSessions) return 'busy';
    const last = this.lastStart.get(cameraId);
    if (this.exiting.has(cameraId) || (last !== undefined && now - last < this.backoffMs)) return 'backoff';
    this.start(cameraId, feed, now);
    return 'started';
  }

  /** Stops the transcodes nobody requested for `lingerMs`. Called every second by the owner (and by tests). */
  sweep(): string[] {
    const now = this.now();
    const stopped: string[] = [];
    for (const [cameraId, s] of this.sessions) {
      if (!s.stopping && now - s.lastRequestAt >= this.o.lingerMs) {
        this.stop(cameraId);
        stopped.push(cameraId);
      }
    }
    return stopped;
  }

  /** running: a transcode is up for the camera; idle: it has a feed but nobody watches; undefined: no on-demand HLS. */
  state(cameraId: string): 'running' | 'idle' | undefined {
    const s = this.sessions.get(cameraId);
    if (s && !s.stopping) return 'running';
    return this.feeds.has(cameraId) ? 'idle' : undefined;
  }

  /** Cameras with a feed or a session (for the stats). */
  cameraIds(): string[] {
    return [...new Set([...this.feeds.keys(), ...this.sessions.keys()])];
  }

  /** The pid of a camera's running transcode (tests, diagnostics). */
  pidOf(cameraId: string): number | undefined {
    const s = this.sessions.get(cameraId);
    return s && !s.stopping ? s.child.pid : undefined;
  }

  /** Whether the camera's live playlist lists at least one segment (what the first request waits for). */
  playlistReady(cameraId: string): boolean {
    try {
      return /\n[^#\s][^\n]*\.ts\s*(\n|$)/.test(readFileSync(`${this.o.liveDir(cameraId)}/index.m3u8`, 'utf8'));
    } catch {
      return false;
    }
  }

  /**
   * Waits (polling every 100 ms, at most `ms`) until the camera's playlist is ready; false when it is not. A viewer
   * waiting here is a viewer: the wait keeps the transcode alive (else a first segment slower than the linger had the
   * sweep stop the very transcode the request waits for).
   */
  async waitReady(cameraId: string, ms: number): Promise<boolean> {
    const until = this.now() + ms;
    for (;;) {
      const s = this.sessions.get(cameraId);
      if (s && !s.stopping) s.lastRequestAt = this.now();
      if (this.playlistReady(cameraId)) return true;
      if (this.now() >= until || !this.sessions.has(cameraId)) return this.playlistReady(cameraId);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  stopAll(): void {
    for (const cameraId of [...this.sessions.keys()]) this.stop(cameraId);
  }

  private activeCount(): number {
    let n = 0;
    for (const s of this.sessions.values()) if (!s.stopping) n++;
    return n;
  }

  private start(cameraId: string, feed: TranscodeFeed, now: number): void {
    const dir = this.o.liveDir(cameraId);
    mkdirSync(dir, { recursive: true });
    rmSync(`${dir}/index.m3u8`, { force: true }); // a stale playlist of an earlier session is not 'ready'
    const args = hlsTranscoderArgs({ format: feed.format, port: feed.port, segmentS: this.o.segmentS, dir, runId: `${now}-${randomBytes(3).toString('hex')}`, maxWidth: feed.maxWidth, ...(feed.maxHeight !== undefined ? { maxHeight: feed.maxHeight } : {}), fps: feed.fps });
    this.lastStart.set(cameraId, now);
    const child = this.spawnFn(this.o.ffmpegPath, args);
    const session: Session = { child, startedAt: now, lastRequestAt: now, stopping: false };
    this.sessions.set(cameraId, session);
    const stderr = (child as { stderr?: NodeJS.ReadableStream | null }).stderr;
    let tail = '';
    stderr?.on('data', (c: Buffer) => (tail = (tail + c.toString()).slice(-400)));
    child.once('exit', (code, signal) => {
      if (this.sessions.get(cameraId) === session) this.sessions.delete(cameraId);
      if (!session.stopping) this.o.log?.(`live HLS transcode of camera ${cameraId} exited (${signal ?? code})${tail ? `: ${tail.trim()}` : ''}; the next request restarts it`);
    });
    (child as { on?: (e: 'error', l: (err: Error) => void) => unknown }).on?.('error', (err) => this.o.log?.(`live HLS transcode of camera ${cameraId}: ${err.message}`));
  }

  private stop(cameraId: string): void {
    const s = this.sessions.get(cameraId);
    if (!s || s.stopping) return;
    s.stopping = true;
    this.sessions.delete(cameraId);
    this.exiting.set(cameraId, s.child);
    const t = setTimeout(() => s.child.kill('SIGKILL'), 3_000);
    t.unref();
    s.child.once('exit', () => {
      clearTimeout(t);
      if (this.exiting.get(cameraId) === s.child) this.exiting.delete(cameraId);
    });
    s.child.kill('SIGTERM');
  }
}
