import type { DetectBatchPayload, DetectBatchResult, DetectOptions, FrameDetections, FrameRef, JobName, JobOf, JobResultOf } from '@crowdsafe/contracts';
import { JobDispatcher } from '../jobs/job-dispatcher';
import { FrameDroppedError, InferenceClient } from './inference-client';

/** A dispatcher the test completes by hand (the InferenceClient is the component under test). */
class ManualDispatcher extends JobDispatcher {
  readonly jobs: { payload: DetectBatchPayload; resolve: (r: DetectBatchResult) => void; reject: (e: Error) => void }[] = [];

  dispatch<N extends JobName>(_name: N, data: JobOf<N>): Promise<JobResultOf<N>> {
    return new Promise((resolve, reject) => this.jobs.push({ payload: data as DetectBatchPayload, resolve: resolve as (r: DetectBatchResult) => void, reject }));
  }

  /** Complete job `i` with one detection per frame (or `missing` for the listed seqs). */
  complete(i: number, missingSeqs: number[] = []): void {
    const { payload, resolve } = this.jobs[i];
    resolve({
      results: payload.frames.map((f) => ({
        key: f.key,
        cameraId: f.cameraId,
        seq: f.seq,
        capturedAt: f.capturedAt,
        detections: missingSeqs.includes(f.seq) ? [] : [{ box: { x1: 0, y1: 0, x2: 1, y2: 1 }, score: 0.9, classId: 0 }],
        ...(missingSeqs.includes(f.seq) ? { missing: true } : {}),
      })),
      worker: 'test:1',
      timings: { fetchMs: 0, preprocessMs: 0, inferenceMs: 0, postprocessMs: 0 },
    });
  }
}

const ref = (cameraId: string, seq: number): FrameRef => ({ key: `frame:${cameraId}:${seq}`, cameraId, seq, capturedAt: seq, width: 2, height: 2 });
const ids = (p: DetectBatchPayload) => p.frames.map((f) => `${f.cameraId}#${f.seq}`);
const flush = () => new Promise((r) => setImmediate(r));

type Outcome = { ok: FrameDetections } | { err: Error };
function track(p: Promise<FrameDetections>): Outcome[] {
  const box: Outcome[] = [];
  p.then(
    (ok) => box.push({ ok }),
    (err: Error) => box.push({ err }),
  );
  return box;
}

describe('InferenceClient', () => {
  it('starts idle', () => {
    const client = new InferenceClient(new ManualDispatcher(), { batchSize: 4, maxInFlight: 1 });
    expect(client.stats()).toEqual({ jobs: 0, frames: 0, meanBatchSize: 0, dropped: 0, missing: 0, failedJobs: 0, inFlight: 0, pending: 0, latencyMs: { p50: null, p95: null, samples: 0 } });
  });

  it.each([
    // name, options of the frame -> passes reported
    ['no options', undefined, 1],
    ['no slices', { slices: [] }, 1],
    ['scheduled slices count one pass each', { slices: [{ x: 0, y: 0, width: 1, height: 1 }, { x: 1, y: 0, width: 1, height: 1 }] }, 3],
  ] as const)('reports every successful job with its model passes (capacity meter): %s', async (_n, option, passes) => {
    const options = [option];
    const d = new ManualDispatcher();
    const client = new InferenceClient(d, { batchSize: 4, maxInFlight: 1 });
    const jobs: { frames: number; passes: number; startedAt: number; endedAt: number }[] = [];
    const off = client.onJob((j) => jobs.push(j));
    const results = options.map((o, i) => client.detect(ref(`c${i}`, 1), o as DetectOptions | undefined));
    await flush();
    d.complete(0);
    await Promise.all(results);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ frames: options.length, passes });
    expect(jobs[0].endedAt).toBeGreaterThanOrEqual(jobs[0].startedAt);
    off();
    const r = client.detect(ref('z', 2));
    await flush();
    d.complete(1);
    await r;
    expect(jobs).toHaveLength(1);
  });

  it('keeps the round trip of successful jobs for latency percentiles (GET /api/system/stats)', async () => {
    const d = new ManualDispatcher();
    const client = new InferenceClient(d, { batchSize: 1, maxInFlight: 1 });
    const results = [client.detect(ref('a', 1)), client.detect(ref('a', 2))];
    for (let i = 0; i < 2; i++) {
      await flush();
      d.complete(i);
    }
    await Promise.all(results);
    const { latencyMs } = client.stats();
    expect(latencyMs.samples).toBe(2);
    expect(latencyMs.p50).toBeGreaterThanOrEqual(0);
    expect(latencyMs.p95).toBeGreaterThanOrEqual(latencyMs.p50 as number);
  });

  it.each([
    {
      name: 'one slot: the first request goes alone, the rest are batched while it runs',
      opts: { batchSize: 2, maxInFlight: 1 },
      requests: [ref('a', 1), ref('b', 1), ref('a', 2), ref('b', 2), ref('c', 1)],
      expectedJobs: [['a#1'], ['b#1', 'a#2'], ['b#2', 'c#1']],
    },
    {
      name: 'two slots fill before batching starts',
      opts: { batchSize: 4, maxInFlight: 2 },
      requests: [ref('a', 1), ref('a', 2), ref('a', 3), ref('b', 1), ref('b', 2)],
      expectedJobs: [['a#1'], ['a#2'], ['a#3', 'b#1', 'b#2']],
    },
  ])('$name', async ({ opts, requests, expectedJobs }) => {
    const d = new ManualDispatcher();
    const client = new InferenceClient(d, opts);
    const results = requests.map((r) => client.detect(r));
    for (let i = 0; i < expectedJobs.length; i++) {
      await flush();
      d.complete(i);
    }
    const settled = await Promise.all(results);
    expect(d.jobs.map((j) => ids(j.payload))).toEqual(expectedJobs);
    expect(settled.map((r) => `${r.cameraId}#${r.seq}:${r.detections.length}`)).toEqual(requests.map((r) => `${r.cameraId}#${r.seq}:1`));
    expect(client.stats()).toMatchObject({ jobs: expectedJobs.length, frames: requests.length, meanBatchSize: requests.length / expectedJobs.length, inFlight: 0, pending: 0 });
  });

  it('drops the oldest waiting request when the pending queue is over its bound', async () => {
    const d = new ManualDispatcher();
    const client = new InferenceClient(d, { batchSize: 8, maxInFlight: 1, maxPending: 2 });
    const first = track(client.detect(ref('a', 1))); // dispatched at once
    const waiting = [2, 3, 4].map((s) => track(client.detect(ref('a', s))));
    await flush();
    expect(waiting[0]).toEqual([{ err: expect.any(FrameDroppedError) }]);
    expect((waiting[0][0] as { err: FrameDroppedError }).err).toMatchObject({ reason: 'queue-full', ref: ref('a', 2) });
    expect(client.stats()).toMatchObject({ dropped: 1, pending: 2, inFlight: 1 });
    d.complete(0);
    await flush();
    d.complete(1);
    await flush();
    expect(ids(d.jobs[1].payload)).toEqual(['a#3', 'a#4']);
    expect([first, ...waiting.slice(1)].map((o) => 'ok' in o[0])).toEqual([true, true, true]);
  });

  it('keeps different options of one camera in different jobs, and sends per-camera options', async () => {
    const d = new ManualDispatcher();
    const client = new InferenceClient(d, { batchSize: 8, maxInFlight: 1 });
    const hi: DetectOptions = { confidence: 0.6 };
    const all = [
      client.detect(ref('a', 1)),
      client.detect(ref('a', 2), hi),
      client.detect(ref('b', 1), { iou: 0.5 }),
      client.detect(ref('a', 3)),
      client.detect(ref('a', 4), hi),
    ];
    await flush();
    d.complete(0);
    await flush();
    d.complete(1);
    await flush();
    d.complete(2);
    await Promise.all(all);
    expect(d.jobs.map((j) => [ids(j.payload), j.payload.options])).toEqual([
      [['a#1'], undefined],
      [['a#2', 'b#1', 'a#4'], { a: hi, b: { iou: 0.5 } }],
      [['a#3'], undefined],
    ]);
  });

  it('rejects the whole batch when the job fails, records the error and carries on', async () => {
    const d = new ManualDispatcher();
    const client = new InferenceClient(d, { batchSize: 2, maxInFlight: 1 });
    const a = track(client.detect(ref('a', 1)));
    const b = track(client.detect(ref('a', 2)));
    await flush();
    d.jobs[0].reject(new Error('worker exploded'));
    await flush();
    d.complete(1);
    await flush();
    expect(a).toEqual([{ err: new Error('worker exploded') }]);
    expect('ok' in b[0]).toBe(true);
    expect(client.stats()).toMatchObject({ jobs: 2, failedJobs: 1, lastError: 'worker exploded' });
  });

  it('resolves missing frames and counts them', async () => {
    const d = new ManualDispatcher();
    const client = new InferenceClient(d, { batchSize: 2, maxInFlight: 1 });
    const p = client.detect(ref('a', 1));
    await flush();
    d.complete(0, [1]);
    await expect(p).resolves.toMatchObject({ cameraId: 'a', seq: 1, missing: true, detections: [] });
    expect(client.stats().missing).toBe(1);
  });

  it('rejects a result that does not match its frame', async () => {
    const d = new ManualDispatcher();
    const client = new InferenceClient(d, { batchSize: 2, maxInFlight: 1 });
    const p = client.detect(ref('a', 1));
    await flush();
    d.jobs[0].resolve({ results: [], worker: 'x', timings: { fetchMs: 0, preprocessMs: 0, inferenceMs: 0, postprocessMs: 0 } });
    await expect(p).rejects.toThrow(/does not match frame a#1/);
  });

  it('rejects waiting and later requests on shutdown', async () => {
    const d = new ManualDispatcher();
    const client = new InferenceClient(d, { batchSize: 1, maxInFlight: 1 });
    const running = client.detect(ref('a', 1));
    const waiting = client.detect(ref('a', 2));
    client.onModuleDestroy();
    await expect(waiting).rejects.toMatchObject({ reason: 'shutdown' });
    await expect(client.detect(ref('a', 3))).rejects.toThrow(FrameDroppedError);
    d.complete(0);
    await expect(running).resolves.toMatchObject({ seq: 1 });
    expect(d.jobs).toHaveLength(1);
  });

  it.each([
    [{ batchSize: 0, maxInFlight: 1 }, /batchSize/],
    [{ batchSize: 1, maxInFlight: 1.5 }, /maxInFlight/],
    [{ batchSize: 1, maxInFlight: 1, maxPending: 0 }, /maxPending/],
  ])('rejects options %p', (opts, msg) => {
    expect(() => new InferenceClient(new ManualDispatcher(), opts)).toThrow(msg);
  });
});
