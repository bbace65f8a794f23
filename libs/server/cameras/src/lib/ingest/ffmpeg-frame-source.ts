import type { ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import type { CameraStatus, RawFrame } from '@crowdsafe/contracts';
import { Backoff } from './backoff';
import { computeOutputSize, decodeArgs, type FrameSize } from './ffmpeg-args';
import { StderrRing, summarizeFfmpegLog } from './ffmpeg-log';
import { FrameAssembler } from './frame-assembler';
import { FrameRateWindow } from './frame-rate-window';
import { probeSource, ProbeError, type ProbeResult } from './probe';
import { redactSecrets, type SourceInput } from './source-input';
import type { PreparedSource } from './source-egress';

export interface SourceStatus {
  status: CameraStatus;
  /** Why (credentials redacted); set for 'error', for 'connecting' after a lost stream, and for 'offline'. */
  reason?: string;
}

export interface FrameSourceStats {
  framesDecoded: number;
  /** Runs (probe + ffmpeg) after the first one: reconnects and retries. */
  restarts: number;
  /** Bytes read from ffmpeg's stdout. */
  bytesRead: number;
  /** Error lines ffmpeg logged after the first frame of a run (corrupt packets, decode errors). */
  decodeErrors: number;
  lastFrameAt: number | null;
  /** Output frame size; 0 until the first successful probe. */
  width: number;
  height: number;
  /** Frames per second over the last 5 s. */
  fpsIn: number;
  /** Decoded frames not delivered because of the every-N-th-frame skip rate. */
  skippedFrames: number;
}

/** Anything with warn(), e.g. a Nest Logger. Only redacted text is passed. */
export interface IngestLogger {
  warn(message: string): void;
}

export interface FfmpegFrameSourceOptions {
  cameraId: string;
  input: SourceInput;
  /** Output frame rate (ffmpeg fps filter). */
  fps: number;
  /** Frames are downscaled to at most this width (aspect kept, never upscaled, even sides). */
  maxWidth: number;
  /** ...and at most this height (optional). */
  maxHeight?: number | null;
  /** Deliver every N-th decoded frame (default 1 = all); the others are counted in skippedFrames. */
  frameSkip?: number;
  /**
   * Runs before EVERY connect (first start and each reconnect), e.g. the SSRF guard re-resolving the host (DNS
   * rebinding). A rejection fails that attempt: status 'error' with the rejection's message, retried with backoff.
   * It may return the input to open for this attempt (e.g. pinned to the checked address, see prepareEgress) and
   * what to release once the attempt has ended.
   */
  beforeConnect?: () => Promise<PreparedSource | void>;
  ffmpegPath: string;
  ffprobePath: string;
  /** No frame for this long -> kill and restart ffmpeg. Also the socket I/O timeout for network inputs. */
  stallTimeoutMs: number;
  /** Restart delays. The exponent resets once a run has been online for resetAfterMs (default 30 s). */
  backoff: { initialMs: number; maxMs: number; resetAfterMs?: number };
  /** Limit for each ffprobe run (default 10 s). */
  probeTimeoutMs?: number;
  /**
   * The source's probe from an earlier start (e.g. by the camera's former owner): the first connect decodes with it
   * without running ffprobe (a fail-over starts the camera sooner); every later connect probes as usual.
   */
  knownProbe?: Pick<ProbeResult, 'codec' | 'width' | 'height'>;
  /** Each successful probe (to remember it for the next start, see knownProbe). */
  onProbed?: (probe: ProbeResult) => void;
  /** SIGTERM -> SIGKILL grace on stop() (default 2 s). */
  killGraceMs?: number;
  logger?: IngestLogger;
  /**
   * Extra outputs of each ffmpeg run besides the decoded frames (the recorder's stream-copied segments): asked once
   * per spawn with the probed codec; `onRunEnd` is called after that ffmpeg has exited.
   */
  extraOutputs?: (run: { codec?: string }) => { target: string; options: string[] }[];
  onRunEnd?: () => void;
}

/** How one ffmpeg run ended. */
type RunOutcome =
  | { kind: 'stopped' }
  | { kind: 'ended' } // a non-looping file reached its end
  | { kind: 'lost'; reason: string; healthyMs: number } // produced frames, then died or stalled
  | { kind: 'failed'; reason: string; slow: boolean }; // never produced a frame

type Exit = { code: number | null; signal: NodeJS.Signals | null; spawnError?: Error };

const STDERR_LINES = 20;
const STOPPED = Symbol('stopped');

/**
 * Decodes one camera input with ffmpeg into RGB24 RawFrames and keeps it running: probes, spawns, watches for stalls,
 * restarts with exponential backoff, and reports status. One instance = one start()/stop() lifetime.
 *
 * Status: 'connecting' on start and after a lost stream; 'online' on each first frame; 'error' when a run fails
 * without a frame (it stays 'error' through retries, no flapping); 'offline' at the end of a non-looping file or after
 * stop().
 */
export class FfmpegFrameSource {
  private readonly frameListeners = new Set<(frame: RawFrame) => void>();
  private readonly statusListeners = new Set<(status: SourceStatus) => void>();
  private current: SourceStatus = { status: 'offline' };

  private readonly backoff: Backoff;
  private readonly fpsWindow = new FrameRateWindow(5000);
  private readonly stderr: StderrRing;
  private readonly redact: (text: string) => string;

  private seq = 0;
  private framesDecoded = 0;
  private restarts = 0;
  private bytesRead = 0;
  private decodeErrors = 0;
  private skippedFrames = 0;
  private skipCounter = 0;
  private lastFrameAt: number | null = null;
  private size: FrameSize | null = null;
  /** The probed codec (decode options depend on it, see decodeArgs). */
  private codec: string | undefined;

  private started = false;
  private stopRequested = false;
  private stopPromise: Promise<void> | null = null;
  private loop: Promise<void> | null = null;
  private proc: ChildProcess | null = null;
  private readonly launched = deferred();
  private readonly stopSignal = deferred();

  constructor(private readonly opts: FfmpegFrameSourceOptions) {
    if (!opts.cameraId) throw new Error('FfmpegFrameSource: cameraId is required');
    if (!(opts.fps > 0 && opts.fps <= 120)) throw new RangeError(`camera ${opts.cameraId}: fps must be in (0, 120], got ${opts.fps}`);
    if (!(Number.isInteger(opts.maxWidth) && opts.maxWidth >= 2)) {
      throw new RangeError(`camera ${opts.cameraId}: maxWidth must be an integer >= 2, got ${opts.maxWidth}`);
    }
    if (opts.frameSkip !== undefined && !(Number.isInteger(opts.frameSkip) && opts.frameSkip >= 1)) {
      throw new RangeError(`camera ${opts.cameraId}: frameSkip must be an integer >= 1, got ${opts.frameSkip}`);
    }
    if (!(opts.stallTimeoutMs > 0)) throw new RangeError(`camera ${opts.cameraId}: stallTimeoutMs must be > 0`);
    this.backoff = new Backoff(opts.backoff);
    this.redact = (text) => redactSecrets(text, opts.input);
    this.stderr = new StderrRing(STDERR_LINES, this.redact);
  }

  /** Subscribe to decoded frames; returns an unsubscribe function. Frames are not copied: don't mutate `data`. */
  onFrame(listener: (frame: RawFrame) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  /** Subscribe to status changes; returns an unsubscribe function. */
  onStatus(listener: (status: SourceStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  getStatus(): SourceStatus {
    return { ...this.current };
  }

  /** pid of the running ffmpeg, or null. */
  get pid(): number | null {
    return this.proc?.pid ?? null;
  }

  /** Last ffmpeg stderr lines of the current/last run (redacted). */
  recentLog(): string[] {
    return this.stderr.toArray();
  }

  stats(): FrameSourceStats {
    return {
      framesDecoded: this.framesDecoded,
      restarts: this.restarts,
      bytesRead: this.bytesRead,
      decodeErrors: this.decodeErrors,
      lastFrameAt: this.lastFrameAt,
      width: this.size?.width ?? 0,
      height: this.size?.height ?? 0,
      fpsIn: Math.round(this.fpsWindow.rate(Date.now()) * 100) / 100,
      skippedFrames: this.skippedFrames,
    };
  }

  /**
   * Start decoding in the background. Resolves once the first ffmpeg has been spawned or the first attempt has
   * failed (status tells which); input problems never reject, they are retried.
   */
  start(): Promise<void> {
    if (this.stopRequested) return Promise.reject(new Error(`camera ${this.opts.cameraId}: source was stopped; create a new one`));
    if (!this.started) {
      this.started = true;
      this.fpsWindow.reset(Date.now());
      this.setStatus('connecting');
      this.loop = this.supervise();
    }
    return this.launched.promise;
  }

  /** Stop: cancel pending restarts, SIGTERM ffmpeg (SIGKILL after the grace period); resolves once it has exited. */
  stop(): Promise<void> {
    this.stopPromise ??= this.shutdown();
    return this.stopPromise;
  }

  private async shutdown(): Promise<void> {
    this.stopRequested = true;
    this.stopSignal.resolve();
    const child = this.proc;
    let killTimer: NodeJS.Timeout | undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), this.opts.killGraceMs ?? 2000);
    }
    try {
      await this.loop;
    } finally {
      clearTimeout(killTimer);
    }
    this.launched.resolve();
    this.setStatus('offline', 'stopped');
  }

  /** Run ffmpeg until stopped or a non-looping file ends, waiting with backoff between runs. */
  private async supervise(): Promise<void> {
    for (let run = 0; !this.stopRequested; run++) {
      if (run > 0) this.restarts++;
      let outcome: RunOutcome;
      try {
        outcome = await this.runOnce();
      } catch (err) {
        outcome = { kind: 'failed', reason: this.redact(errorMessage(err)), slow: false };
      }
      this.launched.resolve();
      if (this.stopRequested || outcome.kind === 'stopped') return;
      if (outcome.kind === 'ended') {
        this.setStatus('offline', 'end of file');
        return;
      }
      let delayMs: number;
      if (outcome.kind === 'lost') {
        if (outcome.healthyMs >= (this.opts.backoff.resetAfterMs ?? 30_000)) this.backoff.reset();
        this.setStatus('connecting', outcome.reason);
        delayMs = this.backoff.next();
      } else {
        this.setStatus('error', outcome.reason);
        delayMs = outcome.slow ? this.opts.backoff.maxMs : this.backoff.next();
      }
      this.opts.logger?.warn(`camera ${this.opts.cameraId}: ${outcome.reason}; retrying in ${delayMs} ms`);
      await this.pause(delayMs);
    }
  }

  private async runOnce(): Promise<RunOutcome> {
    this.stderr.clear();
    let prepared: PreparedSource | undefined;
    if (this.opts.beforeConnect) {
      try {
        const pending = this.opts.beforeConnect();
        const ok = await this.untilStopped(pending);
        if (ok === STOPPED) {
          void pending.then((p) => p?.release(), () => undefined);
          return { kind: 'stopped' };
        }
        prepared = ok || undefined;
      } catch (err) {
        return { kind: 'failed', reason: this.redact(errorMessage(err)), slow: false };
      }
    }
    try {
      return await this.connectOnce(prepared?.input ?? this.opts.input);
    } finally {
      await prepared?.release().catch(() => undefined);
    }
  }

  private async connectOnce(input: SourceInput): Promise<RunOutcome> {
    // Live network sources reconnect without a separate ffprobe once their size is known (halves the time back to
    // online; ffmpeg itself fails just as fast on a dead source). A resolution change is picked up at the next
    // restart of the camera (settings change, stop/start).
    if (this.size && input.kind === 'url') return this.decode(this.size, input);
    const known = this.size ? undefined : this.opts.knownProbe;
    if (known && known.width > 0 && known.height > 0) {
      this.size = computeOutputSize(known, this.opts.maxWidth, this.opts.maxHeight);
      this.codec = known.codec;
      return this.decode(this.size, input);
    }
    let probe;
    try {
      probe = await this.untilStopped(
        probeSource(input, { ffprobePath: this.opts.ffprobePath, timeoutMs: this.opts.probeTimeoutMs ?? 10_000 }),
      );
    } catch (err) {
      // A bad URL, or a file that is missing or not a video, won't fix itself soon: retry at the slowest rate.
      const slow = err instanceof ProbeError && (err.code === 'invalid-input' || (input.kind === 'file' && err.code !== 'timeout'));
      return { kind: 'failed', reason: this.redact(errorMessage(err)), slow };
    }
    if (probe === STOPPED) return { kind: 'stopped' };
    this.size = computeOutputSize(probe, this.opts.maxWidth, this.opts.maxHeight);
    this.codec = probe.codec;
    try {
      this.opts.onProbed?.(probe);
    } catch {
      // remembering the probe is an optimisation only
    }
    return this.decode(this.size, input);
  }

  /** One ffmpeg process: spawn, split stdout into frames, watch for stalls; resolves after it has exited. */
  private decode(size: FrameSize, input: SourceInput): Promise<RunOutcome> {
    return new Promise<RunOutcome>((resolve) => {
      const { stallTimeoutMs } = this.opts;
      let firstFrameAt: number | null = null;
      let lastFrameOrStart = Date.now();
      let stallReason: string | undefined;
      let child: ChildProcess | null = null;
      let spawnError: Error | undefined;
      let done = false;

      const assembler = new FrameAssembler(size.width * size.height * 3, (data) => {
        lastFrameOrStart = Date.now();
        firstFrameAt ??= lastFrameOrStart;
        this.deliver(data, size, lastFrameOrStart);
      });
      const sink = new Writable({
        emitClose: false, // a 'close' would make fluent-ffmpeg kill the process itself 20 ms later
        write: (chunk: Buffer, _encoding, callback) => {
          this.bytesRead += chunk.length;
          assembler.push(chunk);
          callback();
        },
      });

      const watchdog = setInterval(
        () => {
          if (!child || stallReason || Date.now() - lastFrameOrStart <= stallTimeoutMs) return;
          stallReason = firstFrameAt === null
            ? `no frame within ${stallTimeoutMs} ms of starting ffmpeg`
            : `stream stalled: no frame for ${stallTimeoutMs} ms`;
          child.kill('SIGKILL');
        },
        Math.max(50, Math.min(1000, Math.floor(stallTimeoutMs / 4))),
      );

      const finish = (exit: Exit) => {
        if (done) return;
        done = true;
        clearInterval(watchdog);
        this.proc = null;
        assembler.reset(); // a partial frame at exit is dropped
        if (child) this.opts.onRunEnd?.();
        resolve(this.classify(exit, { firstFrameAt, stallReason }));
      };

      const args = decodeArgs(input, { fps: this.opts.fps, size, ioTimeoutMs: stallTimeoutMs, ...(this.codec ? { codec: this.codec } : {}) });
      // Note: fluent-ffmpeg keeps the ffmpeg path process-wide; every source passes the same configured path.
      const cmd = ffmpeg({ stdoutLines: STDERR_LINES })
        .setFfmpegPath(this.opts.ffmpegPath)
        .input(args.input)
        .inputOptions(...args.inputOptions)
        .output(sink)
        .outputOptions(...args.outputOptions);
      for (const extra of this.extraOutputs()) cmd.output(extra.target).outputOptions(...extra.options);
      cmd.on('start', () => {
        child = (cmd as unknown as { ffmpegProc?: ChildProcess }).ffmpegProc ?? null;
        if (!child) return;
        const proc = child;
        this.proc = proc;
        lastFrameOrStart = Date.now();
        // fluent-ffmpeg 2.1's own 'error' handler throws a TypeError (uncaught, and 'close' is never emitted) when the
        // spawn fails, e.g. ENOENT/EACCES/EAGAIN: replace it. Spawn errors are reported through 'close' below.
        proc.removeAllListeners('error');
        proc.on('error', (err) => (spawnError ??= err));
        // 'close' = exited and stdio drained; the next tick lets fluent-ffmpeg flush the last stderr line to us.
        proc.once('close', (code, signal) =>
          setImmediate(() => finish({ code, signal, spawnError: proc.pid === undefined ? (spawnError ?? new Error('spawn failed')) : undefined })),
        );
        if (this.stopRequested) proc.kill('SIGKILL'); // stop() ran while fluent-ffmpeg was preparing
        else this.launched.resolve();
      });
      cmd.on('stderr', (line: string) => {
        if (this.stderr.push(line) && firstFrameAt !== null) this.decodeErrors++;
      });
      cmd.on('error', (err: Error) => {
        // After spawn, 'close' decides; before it (capability check, path lookup) this is the only signal.
        if (!child) finish({ code: null, signal: null, spawnError: err });
      });
      cmd.run();
    });
  }

  private extraOutputs(): { target: string; options: string[] }[] {
    try {
      return this.opts.extraOutputs?.(this.codec ? { codec: this.codec } : {}) ?? [];
    } catch (err) {
      this.opts.logger?.warn(`camera ${this.opts.cameraId}: extra outputs skipped: ${this.redact(errorMessage(err))}`);
      return [];
    }
  }

  private classify(exit: Exit, run: { firstFrameAt: number | null; stallReason?: string }): RunOutcome {
    if (this.stopRequested) return { kind: 'stopped' };
    if (exit.spawnError) {
      return { kind: 'failed', reason: this.redact(`cannot run ffmpeg (${this.opts.ffmpegPath}): ${errorMessage(exit.spawnError)}`), slow: false };
    }
    const input = this.opts.input;
    if (!run.stallReason && exit.code === 0 && input.kind === 'file' && !input.loop) return { kind: 'ended' };
    const reason =
      run.stallReason ??
      (exit.signal
        ? `ffmpeg killed by ${exit.signal}`
        : (summarizeFfmpegLog(this.stderr.toArray()) ?? (exit.code === 0 ? 'stream ended' : `ffmpeg exited with code ${exit.code}`)));
    if (run.firstFrameAt === null) return { kind: 'failed', reason, slow: false };
    return { kind: 'lost', reason, healthyMs: Date.now() - run.firstFrameAt };
  }

  private deliver(data: Buffer, size: FrameSize, now: number): void {
    if (this.stopRequested) return;
    this.framesDecoded++;
    this.lastFrameAt = now;
    this.fpsWindow.record(now);
    if (this.current.status !== 'online') this.setStatus('online');
    const skip = this.opts.frameSkip ?? 1;
    if (skip > 1 && this.skipCounter++ % skip !== 0) {
      this.skippedFrames++;
      return;
    }
    this.seq++;
    const frame: RawFrame = { cameraId: this.opts.cameraId, seq: this.seq, capturedAt: now, width: size.width, height: size.height, data };
    for (const listener of this.frameListeners) {
      try {
        listener(frame);
      } catch (err) {
        this.opts.logger?.warn(`camera ${this.opts.cameraId}: frame listener failed: ${this.redact(errorMessage(err))}`);
      }
    }
  }

  private setStatus(status: CameraStatus, reason?: string): void {
    if (status === this.current.status && reason === this.current.reason) return;
    this.current = reason === undefined ? { status } : { status, reason };
    for (const listener of this.statusListeners) {
      try {
        listener({ ...this.current });
      } catch (err) {
        this.opts.logger?.warn(`camera ${this.opts.cameraId}: status listener failed: ${this.redact(errorMessage(err))}`);
      }
    }
  }

  /** Wait, cut short by stop(); the timer never outlives the wait. */
  private async pause(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await this.untilStopped(new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))));
    clearTimeout(timer);
  }

  /** Resolves with the promise's value, or STOPPED as soon as stop() is called. */
  private untilStopped<T>(promise: Promise<T>): Promise<T | typeof STOPPED> {
    return Promise.race([promise, this.stopSignal.promise.then((): typeof STOPPED => STOPPED)]);
  }
}

function errorMessage(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split(/\r?\n/)[0];
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
