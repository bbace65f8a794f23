import { DEFAULT_RISK_CONFIG } from '@crowdsafe/risk';
import { CameraRisk } from './risk-stage';

// CameraRisk.setSettings: the settings API replaces a running camera's risk settings live.
describe('CameraRisk.setSettings', () => {
  const at = new Date('2025-01-06T12:00:00Z'); // a Monday
  const cases: [string, unknown, { ok: boolean; thresholds: object; reason?: RegExp }][] = [
    ['nothing (undefined) = the defaults', undefined, { ok: true, thresholds: DEFAULT_RISK_CONFIG.thresholds }],
    ['new global thresholds', { defaults: { thresholds: { caution: 30, warning: 55, critical: 80 } } }, { ok: true, thresholds: { caution: 30, warning: 55, critical: 80 } }],
    ['a per-camera override for this camera', { cameras: { 'cam-1': { overrides: { thresholds: { critical: 90 } } } } }, { ok: true, thresholds: { caution: 25, warning: 50, critical: 90 } }],
    ['an override for another camera only', { cameras: { 'cam-2': { overrides: { thresholds: { critical: 90 } } } } }, { ok: true, thresholds: DEFAULT_RISK_CONFIG.thresholds }],
    ['a Monday-noon schedule', { schedules: [{ name: 'lunch', days: [1], from: '11:00', to: '14:00', overrides: { thresholds: { warning: 40 } } }] }, { ok: true, thresholds: { caution: 25, warning: 40, critical: 75 } }],
    ['invalid: kept as before, the reason names the field', { defaults: { thresholds: { caution: 80, warning: 50, critical: 75 } } }, { ok: false, thresholds: { caution: 11, warning: 22, critical: 33 }, reason: /defaults\.thresholds/ }],
  ];
  it.each(cases)('%s', (_name, raw, want) => {
    const risk = new CameraRisk('cam-1', { defaults: { thresholds: { caution: 11, warning: 22, critical: 33 } } }, undefined, at);
    const r = risk.setSettings(raw, at);
    expect(r.ok).toBe(want.ok);
    if (!r.ok) expect(r.reason).toMatch(want.reason ?? /./);
    expect(risk.effectiveConfig(at).thresholds).toEqual(want.thresholds);
  });
});
