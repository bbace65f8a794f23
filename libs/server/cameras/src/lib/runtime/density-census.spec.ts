import type { DensityCountPayload, DensityCountResult, FrameRef, RawFrame } from '@crowdsafe/contracts';
import { densityCensusOf, roiRegion } from './density-census';

const frame = (w: number, h: number): RawFrame => ({ cameraId: 'c', seq: 7, capturedAt: 1000, width: w, height: h, data: new Uint8Array(w * h * 3) });
const ref = (f: RawFrame): FrameRef => ({ key: `frame:c:${f.seq}`, cameraId: f.cameraId, seq: f.seq, capturedAt: f.capturedAt, width: f.width, height: f.height });

describe('roiRegion', () => {
  it.each([
    { name: 'no ROI', roi: null, region: undefined },
    { name: 'ROI covering the frame', roi: [[0, 0], [1, 0], [1, 1], [0, 1]] as const, region: undefined },
    { name: 'left half (padded 2 %)', roi: [[0, 0], [0.5, 0], [0.5, 1], [0, 1]] as const, region: { x: 0, y: 0, width: 666, height: 720 } },
    { name: 'a tiny ROI gets the 2 % padding around it', roi: [[0.5, 0.5], [0.5001, 0.5], [0.5001, 0.5001]] as const, region: { x: 614, y: 345, width: 52, height: 30 } },
  ])('$name', ({ roi, region }) => {
    expect(roiRegion(roi, 1280, 720)).toEqual(region);
  });
});

describe('densityCensusOf', () => {
  it('dispatches a density-count job on the stored frame at the scale the person sizes ask for, capped by the max side', async () => {
    const jobs: DensityCountPayload[] = [];
    const client = {
      maxSide: 1280,
      count: async (p: DensityCountPayload): Promise<DensityCountResult> => {
        jobs.push(p);
        return { cameraId: 'c', seq: 7, capturedAt: 1000, estimate: { count: 2, method: 'density-model', low: 1, high: 3 }, points: [{ x: 1, y: 2 }, { x: 3, y: 4 }], inputSize: { width: 8, height: 8 }, worker: 'w', timings: { fetchMs: 0, preprocessMs: 0, inferenceMs: 0, decodeMs: 0 } };
      },
    };
    const f = frame(640, 360);
    const run = densityCensusOf(client, async (x) => ref(x));
    // No people seen yet: the default rule (never upscaled).
    expect(await run(f)).toEqual({ estimate: { count: 2, method: 'density-model', low: 1, high: 3 }, points: [{ x: 1, y: 2 }, { x: 3, y: 4 }] });
    expect(jobs[0]).toEqual({ cameraId: 'c', frame: ref(f), scale: 1, maxSide: 1280 });
    // People 40 px tall: heads ~5 px, so 12 px wants x2.3, capped at 1280 / 640 = 2.
    await run(f, { personSizes: Array.from({ length: 10 }, (_, i) => ({ y: 100 + i, height: 40 })) });
    expect(jobs[1].scale).toBeCloseTo(2, 6);
  });
});
