import { performance } from 'node:perf_hooks';
import { Inject, Injectable, type OnApplicationShutdown, Optional } from '@nestjs/common';
import type { DensityCountPayload, DensityCountResult, RawFrame } from '@crowdsafe/contracts';
import type { DensityCount, FidtCountOptions, RgbImage } from '../dense/fidt-counter';
import { FrameStore } from '../frame-store/frame-store';
import { assertDensityCountPayload } from './density-count.payload';
import { workerId } from './detect-batch.handler';
import { JobHandler } from './job-handler.decorator';

/** DI token of the density model a density-count handler runs (a ThreadedFidtCounter), or null when this process has none. */
export const DENSITY_MODEL = Symbol('DENSITY_MODEL');
export type DensityModel = { count(image: RgbImage, options?: FidtCountOptions): Promise<DensityCount>; close(): Promise<void> };

export class NoDensityModelError extends Error {
  constructor() {
    super('this process has no density model: set FIDT_MODEL_PATH on the inference workers (the same value as on the api)');
    this.name = 'NoDensityModelError';
  }
}

/** Copies a region of an RGB24 frame (integer pixel bounds, clamped). */
export function cropRgb(frame: RawFrame, r: { x: number; y: number; width: number; height: number }): { image: RgbImage; x0: number; y0: number } {
  const x0 = Math.max(0, Math.floor(r.x));
  const y0 = Math.max(0, Math.floor(r.y));
  const x1 = Math.min(frame.width, Math.ceil(r.x + r.width));
  const y1 = Math.min(frame.height, Math.ceil(r.y + r.height));
  const w = x1 - x0;
  const h = y1 - y0;
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) out.set(frame.data.subarray(((y0 + y) * frame.width + x0) * 3, ((y0 + y) * frame.width + x1) * 3), y * w * 3);
  return { image: { data: out, width: w, height: h }, x0, y0 };
}

/**
 * `density-count`: read the referenced frame from the FrameStore and run the density model (FIDT) on it, or on
 * `region` of it, at `scale` (capped by `maxSide`). Head points come back in source-frame pixels. A frame gone from
 * the store comes back with `missing: true` and count 0 (the caller counts it, not an error).
 * Runs on the inference workers (BullMQ queue `density`) in distributed mode, in-process in embedded mode.
 */
@Injectable()
export class DensityCountHandler implements OnApplicationShutdown {
  private readonly worker = workerId();

  constructor(
    private readonly frames: FrameStore,
    @Optional() @Inject(DENSITY_MODEL) private readonly model: DensityModel | null = null,
  ) {}

  /** After the consumers stopped (onModuleDestroy): release the model and its thread. */
  async onApplicationShutdown(): Promise<void> {
    await this.model?.close().catch(() => undefined);
  }

  @JobHandler('density-count')
  async handle(data: DensityCountPayload): Promise<DensityCountResult> {
    const payload = assertDensityCountPayload(data);
    if (!this.model) throw new NoDensityModelError();
    const base = { cameraId: payload.cameraId, seq: payload.frame.seq, capturedAt: payload.frame.capturedAt, worker: this.worker };
    const t = performance.now();
    const frame = await this.frames.get(payload.frame);
    const fetchMs = performance.now() - t;
    if (!frame) {
      return { ...base, estimate: { count: 0, method: 'density-model', low: 0, high: 0 }, points: [], inputSize: { width: 0, height: 0 }, missing: true, timings: { fetchMs, preprocessMs: 0, inferenceMs: 0, decodeMs: 0 } };
    }
    const crop = payload.region ? cropRgb(frame, payload.region) : { image: frame, x0: 0, y0: 0 };
    const r = await this.model.count(crop.image, {
      ...(payload.scale === undefined ? {} : { scale: payload.scale }),
      ...(payload.maxSide === undefined ? {} : { maxSide: payload.maxSide }),
    });
    const points = crop.x0 || crop.y0 ? r.points.map((p) => ({ x: p.x + crop.x0, y: p.y + crop.y0 })) : r.points.map((p) => ({ x: p.x, y: p.y }));
    return { ...base, estimate: r.estimate, points, inputSize: r.inputSize, timings: { fetchMs, ...r.timings } };
  }
}
