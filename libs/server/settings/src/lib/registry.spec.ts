import { DEFAULT_RISK_SETTINGS } from '@crowdsafe/risk';
import { buildSettingsRegistry, isIanaTimeZone, issueMessages, MAX_SETTING_JSON_BYTES, RISK_LIMITS, validateSetting, type SettingsContext } from './registry';

const ctx: SettingsContext = {
  alertCooldownS: 60,
  alertAllClearS: 30,
  defaultTargetFps: 5,
  defaultWidth: 1280,
  metricsRetentionDays: 30,
  logRetentionDays: 90,
  model: { path: 'yolo11n.onnx', executionProvider: 'cpu', threads: 0, densityModel: null },
  device: { mode: 'embedded', executionProvider: 'cpu', cpuCores: 2, inferenceBatchSize: 4, inferenceMaxInFlight: 2 },
};
const registry = buildSettingsRegistry(ctx, DEFAULT_RISK_SETTINGS);
const sound = { enabled: true, volume: 0.5, snoozeMinutes: 10, repeatCriticalS: 30 };
const thresholds = { surge: 0.8, surgeCritical: 1.5, stagnationVelocity: 0.2, stagnationDensity: 4, capacityPercent: 110, capacityCriticalPercent: 125, earlyWarningS: 30 };

describe('validateSetting', () => {
  // [category, key, value, expected issue lines (empty = valid)]
  const cases: [string, string, unknown, string[]][] = [
    ['general', 'siteName', '', ['general.siteName: must be 1 to 100 characters']],
    ['general', 'siteName', 'Main stadium', []],
    ['general', 'siteName', 'x'.repeat(101), ['general.siteName: must be 1 to 100 characters']],
    ['general', 'siteName', 42, ['general.siteName: must be a string']],
    ['general', 'timeZone', 'Europe/London', []],
    ['general', 'timeZone', 'Mars/Olympus', ['general.timeZone: must be an IANA time zone such as "Europe/London"']],
    ['general', 'language', 'en', ['general.language: unknown setting']],
    ['general', 'theme', 'dark', []],
    ['general', 'theme', 'blue', ['general.theme: must be one of light, dark, auto']],
    ['alerts', 'cooldownS', 9, ['alerts.cooldownS: must be a whole number from 10 to 3600 seconds']],
    ['alerts', 'cooldownS', 10, []],
    ['alerts', 'cooldownS', 3600, []],
    ['alerts', 'cooldownS', 3601, ['alerts.cooldownS: must be a whole number from 10 to 3600 seconds']],
    ['alerts', 'cooldownS', '60', ['alerts.cooldownS: must be a whole number from 10 to 3600 seconds']],
    ['alerts', 'allClearS', 0, []],
    ['alerts', 'sound', sound, []],
    ['alerts', 'sound', { ...sound, volume: 1.5 }, ['alerts.sound.volume: must be a number from 0 to 1']],
    ['alerts', 'sound', { ...sound, snoozeMinutes: 4, enabled: 'yes' }, ['alerts.sound.enabled: must be true or false', 'alerts.sound.snoozeMinutes: must be a whole number from 5 to 15 minutes']],
    ['alerts', 'sound', { ...sound, loud: true }, ['alerts.sound.loud: unknown field']],
    ['alerts', 'sound', 'on', ['alerts.sound: must be an object']],
    ['alerts', 'thresholds', thresholds, []],
    ['alerts', 'thresholds', { ...thresholds, surgeCritical: 0.5 }, ['alerts.thresholds.surgeCritical: must be above surge (0.8)']],
    ['alerts', 'thresholds', { ...thresholds, capacityPercent: 0, loud: 1 }, ['alerts.thresholds.loud: unknown field', 'alerts.thresholds.capacityPercent: must be a number from 1 to 1000 %']],
    ['alerts', 'thresholds', { ...thresholds, earlyWarningS: 0 }, []],
    ['alerts', 'thresholds', 'high', ['alerts.thresholds: must be an object']],
    ['alerts', 'routing', { CAUTION: [], WARNING: ['sms'], CRITICAL: ['email', 'sms'] }, []],
    ['alerts', 'routing', { CAUTION: [], WARNING: ['pager'], CRITICAL: [] }, ['alerts.routing.WARNING: unknown channel "pager" (one of dashboard, email, sms, push, webhook)']],
    ['alerts', 'routing', { WARNING: [], CRITICAL: [], SAFE: [] }, ['alerts.routing.SAFE: unknown level (one of CAUTION, WARNING, CRITICAL)', 'alerts.routing.CAUTION: must be a list of channels (dashboard, email, sms, push, webhook)']],
    ['system', 'crossingsRetentionDays', 7, []],
    ['system', 'crossingsRetentionDays', 0, ['system.crossingsRetentionDays: must be a whole number from 1 to 3650 days']],
    ['system', 'defaultTargetFps', 0.5, ['system.defaultTargetFps: must be a number from 1 to 30 (frames per second)']],
    ['system', 'defaultTargetFps', 12.5, []],
    ['system', 'defaultResolution', { width: 1920, height: 1080 }, []],
    ['system', 'defaultResolution', { width: 100 }, ['system.defaultResolution.width: must be a whole number from 160 to 7680 px']],
    ['system', 'metricsRetentionDays', 0, ['system.metricsRetentionDays: must be a whole number from 1 to 3650 days']],
    ['system', 'model', { path: 'x.onnx' }, ['system.model: is read-only (derived from the server configuration)']],
    ['risk', 'thresholds', {}, []],
    ['risk', 'thresholds', { defaults: { thresholds: { caution: 60, warning: 50, critical: 75 } } }, ['risk.thresholds.defaults.thresholds: must be strictly ordered: caution < warning < critical']],
    ['risk', 'thresholds', { defaults: { weights: { density: 0.5, surge: 0.3, velocity: 0.4, pressure: 0, counterFlow: 0 } } }, ['risk.thresholds.defaults.weights: must sum to 1 (got 1.2)']],
    ['risk', 'thresholds', { cameras: { c1: { profile: 'rave' } } }, ['risk.thresholds.cameras.c1.profile: unknown profile (one of base, concert, religious-gathering, stadium-egress, transit)']],
    ['risk', 'thresholds', { schedules: Array.from({ length: RISK_LIMITS.schedules + 1 }, (_, i) => ({ name: `s${i}`, days: [1], from: '18:00', to: '23:00' })) }, [`risk.thresholds.schedules: at most ${RISK_LIMITS.schedules} schedules (got ${RISK_LIMITS.schedules + 1})`]],
    ['risk', 'thresholds', { unknownPart: 1 }, ['risk.thresholds.unknownPart: unknown field']],
    ['risk', 'nothing', 1, ['risk.nothing: unknown setting']],
    ['colours', 'x', 1, ['colours.x: unknown setting']],
    ['general', 'siteName', undefined, ['general.siteName: value is required']],
    ['general', 'siteName', 'x'.repeat(MAX_SETTING_JSON_BYTES), [`general.siteName: is too large (${MAX_SETTING_JSON_BYTES + 2} bytes, at most ${MAX_SETTING_JSON_BYTES})`]],
  ];
  it.each(cases)('%s.%s = %j', (category, key, value, expected) => {
    const r = validateSetting(registry, category, key, value);
    expect(r.ok ? [] : issueMessages(r.issues)).toEqual(expected);
  });

  it('normalises: the risk settings get the defaults filled in, a resolution without height gets null', () => {
    const r = validateSetting(registry, 'risk', 'thresholds', { cameras: { c1: { profile: 'concert' } } });
    expect(r.ok && (r.value as typeof DEFAULT_RISK_SETTINGS).defaults).toEqual(DEFAULT_RISK_SETTINGS.defaults);
    const res = validateSetting(registry, 'system', 'defaultResolution', { width: 640 });
    expect(res.ok && res.value).toEqual({ width: 640, height: null });
    // Routing: known channels in a fixed order, duplicates dropped, dashboard always there.
    const rt = validateSetting(registry, 'alerts', 'routing', { CAUTION: [], WARNING: ['sms', 'email', 'sms'], CRITICAL: ['webhook'] });
    expect(rt.ok && rt.value).toEqual({ CAUTION: ['dashboard'], WARNING: ['dashboard', 'email', 'sms'], CRITICAL: ['dashboard', 'webhook'] });
  });
});

describe('buildSettingsRegistry defaults', () => {
  const cases: [Partial<SettingsContext>, string, string, unknown][] = [
    [{}, 'alerts', 'cooldownS', 60],
    [{ alertCooldownS: 0 }, 'alerts', 'cooldownS', 10],
    [{ defaultTargetFps: 60 }, 'system', 'defaultTargetFps', 30],
    [{ defaultWidth: 640 }, 'system', 'defaultResolution', { width: 640, height: null }],
    [{}, 'general', 'theme', 'auto'],
    [{}, 'alerts', 'thresholds', thresholds],
    [{}, 'alerts', 'routing', { CAUTION: ['dashboard'], WARNING: ['dashboard', 'email'], CRITICAL: ['dashboard', 'email', 'push', 'webhook', 'sms'] }],
    [{}, 'system', 'crossingsRetentionDays', 30],
  ];
  it.each(cases)('%j -> %s.%s = %j', (over, c, k, expected) => {
    const reg = buildSettingsRegistry({ ...ctx, ...over }, DEFAULT_RISK_SETTINGS) as unknown as Record<string, Record<string, { default: unknown }>>;
    expect(reg[c]?.[k]?.default).toEqual(expected);
  });
});

describe('isIanaTimeZone', () => {
  it.each([
    ['', false],
    ['UTC', true],
    ['America/New_York', true],
    ['Not/AZone', false],
    [7, false],
  ] as [unknown, boolean][])('%j -> %s', (tz, ok) => expect(isIanaTimeZone(tz)).toBe(ok));
});
