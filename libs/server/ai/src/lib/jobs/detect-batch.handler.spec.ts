import type { DetectOptions, RawFrame } from '@crowdsafe/contracts';
import { PersonDetector, type DetectorInfo, type DetectorRun } from '../detector/person-detector';
import { toFrameRef } from '../frame-store/frame-store';
import { InMemoryFrameStore } from '../frame-store/in-memory-frame-store';
import { DetectBatchHandler, workerId } from './detect-batch.handler';

/** A detector that "finds" one person covering each frame, scored by its confidence option; records its calls. */
class WholeFrameDetector extends PersonDetector {
  readonly calls: { frames: string[]; options: (DetectOptions | undefined)[] }[] = [];
  readonly info = { classes: ['person'] } as DetectorInfo;

  async detect(frames: readonly RawFrame[], options: readonly (DetectOptions | undefined)[] = []): Promise<DetectorRun> {
    this.calls.push({ frames: frames.map((f) => `${f.cameraId}#${f.seq}`), options: [...options] });
    return {
      detections: frames.map((f, i) => [{ box: { x1: 0, y1: 0, x2: f.width, y2: f.height }, score: options[i]?.confidence ?? 0.5, classId: 0 }]),
      timings: { preprocessMs: 1, inferenceMs: 2, postprocessMs: 3 },
    };
  }

  async close(): Promise<void> {
    this.calls.length = 0;
  }
}

const frame = (cameraId: string, seq: number): RawFrame => ({ cameraId, seq, capturedAt: 100 + seq, width: 4, height: 2, data: new Uint8Array(24) });

describe('DetectBatchHandler', () => {
  it.each([
    { name: 'no frames', stored: [], requested: [], options: undefined, expectCalls: [], expectScores: [] },
    {
      name: 'one batched run over frames of several cameras, per-camera options',
      stored: [frame('a', 1), frame('b', 1), frame('a', 2)],
      requested: [frame('a', 1), frame('b', 1), frame('a', 2)],
      options: { b: { confidence: 0.8 } },
      expectCalls: [{ frames: ['a#1', 'b#1', 'a#2'], options: [undefined, { confidence: 0.8 }, undefined] }],
      expectScores: [[0.5], [0.8], [0.5]],
    },
    {
      name: 'frames gone from the store come back missing, in order',
      stored: [frame('a', 2)],
      requested: [frame('a', 1), frame('a', 2), frame('b', 9)],
      options: undefined,
      expectCalls: [{ frames: ['a#2'], options: [undefined] }],
      expectScores: ['missing', [0.5], 'missing'],
    },
    {
      name: 'all missing: the detector is not called',
      stored: [],
      requested: [frame('a', 1)],
      options: undefined,
      expectCalls: [],
      expectScores: ['missing'],
    },
  ])('$name', async ({ stored, requested, options, expectCalls, expectScores }) => {
    const store = new InMemoryFrameStore({ framesPerCamera: 8, ttlMs: 60000 });
    for (const f of stored) await store.put(f);
    const detector = new WholeFrameDetector();
    const handler = new DetectBatchHandler(store, detector);

    const result = await handler.handle({ frames: requested.map((f) => toFrameRef(f)), options });

    expect(detector.calls).toEqual(expectCalls);
    expect(result.worker).toBe(workerId());
    expect(result.results.map((r) => `${r.cameraId}#${r.seq}`)).toEqual(requested.map((f) => `${f.cameraId}#${f.seq}`));
    expect(result.results.map((r) => (r.missing ? 'missing' : r.detections.map((d) => d.score)))).toEqual(expectScores);
    expect(result.results.every((r) => r.key === `frame:${r.cameraId}:${r.seq}` && r.capturedAt === 100 + r.seq)).toBe(true);
    expect(Object.keys(result.timings).sort()).toEqual(['fetchMs', 'inferenceMs', 'postprocessMs', 'preprocessMs']);
  });

  it('rejects a payload without frames', async () => {
    const handler = new DetectBatchHandler(new InMemoryFrameStore({ framesPerCamera: 1, ttlMs: 1 }), new WholeFrameDetector());
    await expect(handler.handle({} as never)).rejects.toThrow(/needs 'frames'/);
  });
});
