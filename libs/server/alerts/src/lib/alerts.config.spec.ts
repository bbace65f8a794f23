// The alert variables of the validated config (libs/server/config): defaults, mapping into AppConfig.alerts, and
// bad values refused with an error naming the variable.
import { ConfigError, loadConfig } from '@crowdsafe/server-config';

describe('alerts config', () => {
  it.each<{ name: string; env: Record<string, string>; expected: Record<string, unknown> }>([
    {
      name: 'empty environment: defaults',
      env: {},
      expected: { publicUrl: 'http://localhost:3000', cooldownMs: 60_000, allClearMs: 30_000, offlineGraceMs: 30_000, snapshotsDir: '/data/snapshots', snapshotMaxPerCamera: 500, snapshotRetentionDays: 30 },
    },
    {
      name: 'every variable set; trailing slashes dropped from PUBLIC_URL',
      env: { PUBLIC_URL: 'https://crowdsafe.example.org//', ALERT_COOLDOWN_S: '120', ALERT_ALL_CLEAR_S: '10', ALERT_OFFLINE_GRACE_S: '5', ALERT_SNAPSHOT_MAX_PER_CAMERA: '20', ALERT_SNAPSHOT_RETENTION_DAYS: '7' },
      expected: { publicUrl: 'https://crowdsafe.example.org', cooldownMs: 120_000, allClearMs: 10_000, offlineGraceMs: 5_000, snapshotMaxPerCamera: 20, snapshotRetentionDays: 7 },
    },
    { name: 'zero cooldown / all-clear / grace are allowed', env: { ALERT_COOLDOWN_S: '0', ALERT_ALL_CLEAR_S: '0', ALERT_OFFLINE_GRACE_S: '0' }, expected: { cooldownMs: 0, allClearMs: 0, offlineGraceMs: 0 } },
  ])('$name', ({ env, expected }) => {
    expect(loadConfig({ DATA_DIR: '/data', ...env }, '/x').alerts).toMatchObject(expected);
  });

  it.each<{ name: string; env: Record<string, string>; names: string[] }>([
    { name: 'negative cooldown', env: { ALERT_COOLDOWN_S: '-1' }, names: ['ALERT_COOLDOWN_S'] },
    { name: 'cooldown above a day', env: { ALERT_COOLDOWN_S: '86401' }, names: ['ALERT_COOLDOWN_S'] },
    { name: 'fractional all-clear', env: { ALERT_ALL_CLEAR_S: '1.5' }, names: ['ALERT_ALL_CLEAR_S'] },
    { name: 'non-numeric offline grace', env: { ALERT_OFFLINE_GRACE_S: 'soon' }, names: ['ALERT_OFFLINE_GRACE_S'] },
    { name: 'no snapshots kept', env: { ALERT_SNAPSHOT_MAX_PER_CAMERA: '0' }, names: ['ALERT_SNAPSHOT_MAX_PER_CAMERA'] },
    { name: 'zero retention days', env: { ALERT_SNAPSHOT_RETENTION_DAYS: '0' }, names: ['ALERT_SNAPSHOT_RETENTION_DAYS'] },
    { name: 'PUBLIC_URL without a scheme', env: { PUBLIC_URL: 'crowdsafe.example.org' }, names: ['PUBLIC_URL'] },
    { name: 'PUBLIC_URL with another scheme', env: { PUBLIC_URL: 'javascript:alert(1)' }, names: ['PUBLIC_URL'] },
    { name: 'two bad variables at once', env: { ALERT_COOLDOWN_S: '-5', ALERT_ALL_CLEAR_S: '-5' }, names: ['ALERT_COOLDOWN_S', 'ALERT_ALL_CLEAR_S'] },
  ])('rejects $name, naming the variables', ({ env, names }) => {
    let error: unknown;
    try {
      loadConfig({ DATA_DIR: '/data', ...env }, '/x');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    for (const n of names) expect((error as ConfigError).message).toContain(n);
  });
});
