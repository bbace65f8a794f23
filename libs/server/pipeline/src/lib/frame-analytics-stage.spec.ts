import type { RawFrame, TrackedPerson } from '@crowdsafe/contracts';
import { FrameAnalyticsStage, UNCALIBRATED_REASON } from './frame-analytics-stage';

const FRAME = { width: 640, height: 360 };
const SCALE = { frame: FRAME, scale: { a: [0, 0], b: [100, 0], distanceM: 1 } };
const frame = (capturedAt: number, size = FRAME): RawFrame => ({ cameraId: 'cam-1', seq: 1, capturedAt, ...size, data: new Uint8Array(0) });
const person = (id: number, x: number): TrackedPerson => ({ id, box: { x1: x - 30, y1: 100, x2: x + 30, y2: 200 }, score: 0.9, timeSinceUpdate: 0, velocity: { vx: 0, vy: 0 } });

describe('FrameAnalyticsStage', () => {
  it.each([
    { name: 'nothing stored: uncalibrated, no step', input: {}, state: 'uncalibrated', reason: UNCALIBRATED_REASON, step: false, warned: 0 },
    { name: 'an invalid calibration: off with the reason, warned', input: { calibrationData: { kind: 'nope' } }, state: 'off', reason: /kind/, step: false, warned: 1 },
    { name: 'a scale calibration: on (its approximation warned)', input: { calibrationData: SCALE, capacity: 12 }, state: 'on', reason: undefined, step: true, warned: 1 },
  ])('$name', ({ input, state, reason, step, warned }) => {
    const warnings: string[] = [];
    const s = new FrameAnalyticsStage('cam-1', input, false, (m) => warnings.push(m));
    const st = s.status();
    expect(st.state).toBe(state);
    if (reason instanceof RegExp) expect(st.reason).toMatch(reason);
    else expect(st.reason).toBe(reason);
    expect(s.analyze(frame(1000), [person(1, 100)]) !== null).toBe(step);
    expect(warnings).toHaveLength(warned);
  });

  it('capacity: the setup in force, else the stored one, else null', () => {
    expect(new FrameAnalyticsStage('c', { calibrationData: SCALE, capacity: 12 }, false).capacity()).toBe(12);
    expect(new FrameAnalyticsStage('c', { capacity: 7 }, false).capacity()).toBe(7);
    expect(new FrameAnalyticsStage('c', {}, false).capacity()).toBeNull();
  });

  it('boxes are rescaled from the decoded frame to the calibration frame (half-size frame: same density)', () => {
    const full = new FrameAnalyticsStage('c', { calibrationData: SCALE }, false);
    const half = new FrameAnalyticsStage('c', { calibrationData: SCALE }, false);
    const a = full.analyze(frame(1000), [person(1, 100), person(2, 300)]);
    const small = (p: TrackedPerson): TrackedPerson => ({ ...p, box: { x1: p.box.x1 / 2, y1: p.box.y1 / 2, x2: p.box.x2 / 2, y2: p.box.y2 / 2 } });
    const b = half.analyze(frame(1000, { width: 320, height: 180 }), [small(person(1, 100)), small(person(2, 300))]);
    expect(b?.analytics.camera.density).toBeCloseTo(a?.analytics.camera.density ?? NaN, 6);
  });

  it('warm-up (tentative) tracks count in densities, never in flow, and keep their own ids across a tracker reset', () => {
    const s = new FrameAnalyticsStage('c', { calibrationData: SCALE }, false);
    const tentative = (provisionalId: number, x: number) => ({ provisionalId, box: person(0, x).box, score: 0.8 });
    const empty = s.analyze(frame(1000), [], []);
    expect(empty?.analytics.camera.count).toBe(0);
    const warm = s.analyze(frame(1200), [], [tentative(1, 100), tentative(2, 300)]);
    const confirmed = new FrameAnalyticsStage('c', { calibrationData: SCALE }, false).analyze(frame(1200), [person(1, 100), person(2, 300)]);
    expect(warm?.analytics.camera.count).toBe(2);
    expect(warm?.analytics.camera.density).toBeCloseTo(confirmed?.analytics.camera.density ?? NaN, 6);
    // Without the warm-up tracks the frame shows nobody: what the product did before.
    expect(s.analyze(frame(1400), [])?.analytics.camera.count).toBe(0);
    // A confirmed track and a tentative one with the same number are two people.
    s.trackerReset();
    expect(s.analyze(frame(1600), [person(1, 100)], [tentative(1, 300)])?.analytics.camera.count).toBe(2);
  });
});
