import type { Detection, RawFrame } from '@crowdsafe/contracts';
import { CameraPipeline, type CameraPipelineOptions } from './camera-pipeline';

const box = (i: number): Detection => ({ box: { x1: 20 + 60 * i, y1: 100, x2: 60 + 60 * i, y2: 300 }, score: 0.9, classId: 0 });
const frame = (seq: number): RawFrame => ({ cameraId: 'cam-1', seq, capturedAt: 1_000_000 + seq * 200, width: 640, height: 360, data: new Uint8Array(0) });
const pipeline = (o: Partial<CameraPipelineOptions> = {}) => new CameraPipeline({ cameraId: 'cam-1', detect: { tiling: 'off' }, nowMs: 1_000_000, autoCalibration: false, ...o });

describe('CameraPipeline', () => {
  it.each([
    { name: 'no frames: no seconds', frames: 0, people: 0, seconds: 0, count: null as number | null },
    { name: 'one second of 3 people', frames: 5, people: 3, seconds: 1, count: 3 },
    { name: 'two seconds of 2 people', frames: 10, people: 2, seconds: 2, count: 2 },
  ])('$name', ({ frames, people, seconds, count }) => {
    const p = pipeline();
    for (let s = 0; s < frames; s++) p.frame(frame(s), Array.from({ length: people }, (_, i) => box(i)));
    const closed = p.close(Number.POSITIVE_INFINITY, 0);
    expect(closed).toHaveLength(seconds);
    for (const c of closed) expect(c).toMatchObject({ cameraId: 'cam-1', analytics: null, risk: { riskScore: null, riskLevel: null } });
    expect(closed[closed.length - 1]?.count ?? null).toBe(count);
    expect(p.riskLevel).toBeNull();
  });

  it('plans scheduled detection only when tiling is scheduled or unset', () => {
    expect(pipeline().plan(frame(1))).toEqual({ detect: { tiling: 'off' } });
    const scheduled = pipeline({ detect: {} });
    expect(scheduled.plan(frame(1)).examined).toBeDefined();
    scheduled.release();
  });

  it('alerting is a stage only when asked for', () => {
    expect(pipeline().alerting).toBeNull();
    expect(pipeline({ alerting: {} }).alerting).not.toBeNull();
  });

  it('frames of a closed second are not accepted', () => {
    const p = pipeline();
    p.frame(frame(0), [box(0)]);
    p.close(1_000_000 + 5000, 0);
    expect(p.accepts(frame(1).capturedAt)).toBe(false);
  });
});
