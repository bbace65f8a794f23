import { execFileSync } from 'node:child_process';
import type { RawFrame } from '@crowdsafe/contracts';
import { DetectBatchHandler, InferenceClient, InMemoryFrameStore, JobDispatcher, ThreadedPersonDetector } from '@crowdsafe/server-ai';
import { LiveEventsPublisher } from '@crowdsafe/server-core';
import { PassBudgetAllocator, PassCapacityMeter, waterFill } from '@crowdsafe/vision';
import { CameraRuntime } from '../runtime/camera-runtime';
import type { LiveFrameEncoder } from '../runtime/live-frame-encoder';
import { followMeasuredCapacity } from '../runtime/pass-capacity-feed';

// Several file cameras through the real embedded runtime on one machine (issue #12/#13: "4 cameras on 2 cores"): one
// clip decoded once, replayed in real time by every camera (each from its own offset, capture time = now), each camera
// a CameraRuntime with the default scheduled tiling, all sharing one InferenceClient -> in-process detect-batch handler
// (the real handler and InMemoryFrameStore) -> one real YOLO11n, and one PassBudgetAllocator, as CameraSupervisor
// wires them. Used by the medium spec and `./crowdsafe bench scale`. Reports ratios, never absolute times.

export interface MultiCameraLoadOptions {
  video: string;
  model: string;
  ffmpeg: string;
  cameras: number;
  fps: number;
  /** Warm-up (model, capacity meter, person-size maps), then the measured window, seconds of wall time. */
  warmupS: number;
  windowS: number;
  width: number;
  height: number;
  /** 'measured': the budget follows the capacity (the default now); 'uncapped': the old default (each <= 2.5 x fps). */
  budget: 'measured' | 'uncapped';
  /** Detection confidence (default 0.35, the hall sample's). */
  confidence?: number;
}

export interface CameraLoadResult {
  cameraId: string;
  /** Frames processed per second over the window. */
  rate: number;
  /** Max-min fair share of the measured capacity (one pass per frame), at most the camera's fps. */
  fairShare: number;
  ratio: number;
  passesPerFrame: number;
  droppedFrames: number;
  reason: string | null;
}

export interface MultiCameraLoadResult {
  cameras: CameraLoadResult[];
  /** The detector's measured sustained throughput at the end, passes/s. */
  capacity: number;
  /** Model passes run per second over the window (all cameras). */
  passesPerSecond: number;
}

/** A clip decoded once (looped by every camera): `seconds` s at `fps`, scaled to width x height. */
export function decodeClip(ffmpeg: string, video: string, fps: number, seconds: number, width: number, height: number): Buffer[] {
  const raw = execFileSync(ffmpeg, ['-v', 'error', '-i', video, '-vf', `fps=${fps},scale=${width}:${height}`, '-t', String(seconds), '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 2 ** 32 });
  const size = width * height * 3;
  return Array.from({ length: Math.floor(raw.length / size) }, (_, i) => raw.subarray(i * size, (i + 1) * size));
}

class QuietLive extends LiveEventsPublisher {
  publishMetrics() { /* not watched */ }
  publishCameraStatus() { /* not watched */ }
  publishFrame() { /* not watched */ }
  wantsFrames() { return false; }
}

export async function runMultiCameraLoad(o: MultiCameraLoadOptions, clip: Buffer[]): Promise<MultiCameraLoadResult> {
  if (!(o.cameras >= 1)) throw new RangeError(`cameras must be >= 1, got ${o.cameras}`);
  if (!clip.length) throw new RangeError('clip must hold at least one frame');
  const detector = await ThreadedPersonDetector.load({ modelPath: o.model, executionProvider: 'cpu', threads: 0, defaults: { confidence: 0.35, iou: 0.7, maxDetections: 1000 } });
  const store = new InMemoryFrameStore({ framesPerCamera: 8, ttlMs: 10_000 });
  const handler = new DetectBatchHandler(store, detector);
  const dispatcher = new (class extends JobDispatcher {
    dispatch(_n: string, data: unknown) {
      return handler.handle(data as Parameters<DetectBatchHandler['handle']>[0]) as never;
    }
  })();
  const inference = new InferenceClient(dispatcher, { batchSize: 4, maxInFlight: 1 }); // the INFERENCE_* defaults
  const allocator = new PassBudgetAllocator();
  const meter = new PassCapacityMeter();
  const feed = o.budget === 'measured' ? followMeasuredCapacity(inference, allocator, meter) : { meter, stop: inference.onJob((j) => meter.observe(j)) };
  let passes = 0;
  const countPasses = inference.onJob((j) => (passes += j.passes));
  const timers: NodeJS.Timeout[] = [];
  const runtimes = Array.from({ length: o.cameras }, (_, c) => {
    const cameraId = `cam${c + 1}`;
    let seq = 0;
    return new CameraRuntime(
      { cameraId, frameQueueSize: 8, frameMaxAgeMs: 5000, sourceIsLive: true, detect: { confidence: o.confidence ?? 0.35 }, counting: { fps: o.fps }, scheduling: { refreshS: 1, allocator } },
      {
        createSource: (h) => ({
          start: async () => {
            h.onStatus('online');
            timers.push(
              setInterval(() => {
                const data = clip[(seq + c * 7) % clip.length];
                h.onFrame({ cameraId, seq: ++seq, capturedAt: Date.now(), width: o.width, height: o.height, data } satisfies RawFrame);
              }, 1000 / o.fps),
            );
          },
          stop: async () => undefined,
          stats: () => ({ framesDecoded: seq, restarts: 0, lastFrameAt: Date.now() }),
        }),
        detect: async (frame, options) => inference.detect(await store.put(frame), options),
        metrics: { write: () => undefined },
        saveStatus: () => undefined,
        live: new QuietLive(),
        encoder: {} as LiveFrameEncoder,
      },
    );
  });
  try {
    for (const r of runtimes) await r.start();
    await new Promise((r) => setTimeout(r, o.warmupS * 1000));
    const start = runtimes.map((r) => r.health().framesProcessed);
    const passes0 = passes;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, o.windowS * 1000));
    const seconds = (performance.now() - t0) / 1000;
    const capacity = meter.passesPerSecond ?? 0;
    const fair = waterFill(new Map(runtimes.map((r) => [r.cameraId, o.fps])), capacity);
    return {
      capacity,
      passesPerSecond: (passes - passes0) / seconds,
      cameras: runtimes.map((r, i) => {
        const h = r.health();
        const rate = (h.framesProcessed - start[i]) / seconds;
        const fairShare = fair.get(r.cameraId) ?? 0;
        return { cameraId: r.cameraId, rate, fairShare, ratio: fairShare > 0 ? rate / fairShare : 0, passesPerFrame: h.scheduler?.passesPerFrame ?? 1, droppedFrames: h.droppedFrames + h.staleFrames, reason: h.scheduler?.reason ?? null };
      }),
    };
  } finally {
    for (const t of timers) clearInterval(t);
    for (const r of runtimes) await r.stop();
    feed.stop();
    countPasses();
    inference.onModuleDestroy();
    await store.close();
    await detector.close();
  }
}
