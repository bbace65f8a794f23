import type { CameraHealth, LiveAnalytics } from '@crowdsafe/contracts';
import { analyticsOff } from './analytics-setup';
import { alertInputOf, metricsRowOf, metricsUpdateEventOf, type SecondResult } from './second-result';

const movement = { headingDeg: null, compass: null, coherence: 0, movingSamples: 0, samples: 0 };
const noRisk = { live: null, riskScore: null, riskLevel: null, metadata: { status: 'unavailable', reason: 'no density' } };
const second = (extra: Partial<SecondResult> = {}): SecondResult => ({
  cameraId: 'cam-1', time: new Date(5000), count: 3, countMax: 4, countMin: 2, frames: 5, method: 'tracking', low: 3, high: 3,
  densityCount: null, movement, analytics: null, risk: noRisk, ...extra,
});
const on = { ...analyticsOff('x'), status: 'on', reason: undefined, density: 0.5, velocity: 1.1, surge: null, flowIn: 2, flowOut: 1, lines: [{ id: 'l' }] } as unknown as LiveAnalytics;
const health = { fpsIn: 5, droppedFrames: 1 } as CameraHealth;
const ctx = { cameraId: 'cam-1', cameraStatus: 'online' as const, capacity: null, systemError: null };

describe('metricsRowOf', () => {
  it.each([
    { name: 'uncalibrated: real-unit and risk columns null, densityCount absent', s: second(), want: { density: null, velocity: null, surge: null, flowIn: null, flowOut: null, riskScore: null, riskLevel: null, heading: null }, meta: { status: 'uncalibrated' }, densityCount: undefined },
    { name: 'analytics off: columns null, the reason kept', s: second({ analytics: analyticsOff('bad calibration') }), want: { density: null }, meta: { status: 'off', reason: 'bad calibration' }, densityCount: undefined },
    { name: 'analytics on with lines: columns filled', s: second({ analytics: on, densityCount: 7 }), want: { density: 0.5, velocity: 1.1, surge: null, flowIn: 2, flowOut: 1 }, meta: { status: 'on' }, densityCount: 7 },
  ])('$name', ({ s, want, meta, densityCount }) => {
    const row = metricsRowOf(s, health);
    expect(row).toMatchObject({ cameraId: 'cam-1', time: new Date(5000), count: 3, countMax: 4, ...want });
    expect(row.metadata).toMatchObject({ countMin: 2, frames: 5, method: 'tracking', low: 3, high: 3, fpsIn: 5, dropped: 1, analytics: meta });
    expect(row.metadata['densityCount']).toBe(densityCount);
  });
});

describe('metricsUpdateEventOf', () => {
  it('carries the second, health, analytics, risk and movement', () => {
    expect(metricsUpdateEventOf(second(), health)).toEqual({ cameraId: 'cam-1', time: new Date(5000).toISOString(), count: 3, countMax: 4, countMethod: 'tracking', frames: 5, health, analytics: null, risk: null, movement });
  });
});

describe('alertInputOf (missing = NaN, here only)', () => {
  it.each([
    { name: 'status-only update: every metric unknown, no earlyWarningInS', s: null, want: { level: null, score: NaN, density: NaN, surge: NaN, velocity: NaN, count: NaN }, early: 'absent' },
    { name: 'a second without analytics', s: second(), want: { level: null, score: NaN, density: NaN, count: 3 }, early: null },
    { name: 'a second with analytics and risk', s: second({ analytics: on, risk: { ...noRisk, riskScore: 60, riskLevel: 'WARNING', live: { earlyWarningInS: 30 } as never } }), want: { level: 'WARNING', score: 60, density: 0.5, surge: NaN, velocity: 1.1, count: 3 }, early: 30 },
  ])('$name', ({ s, want, early }) => {
    const u = alertInputOf(7000, s, ctx);
    expect(u).toMatchObject({ cameraId: 'cam-1', at: 7000, capacity: null, cameraStatus: 'online', systemError: null, ...want });
    if (early === 'absent') expect('earlyWarningInS' in u).toBe(false);
    else expect(u.earlyWarningInS).toBe(early);
  });
});
