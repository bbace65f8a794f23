import type { RiskLevel } from '@crowdsafe/contracts';
import { channelsForLevel, routeAlert } from './routing';
import type { AlertRecipient } from './types';

const r = (p: Partial<AlertRecipient> & Pick<AlertRecipient, 'channel' | 'destination'>): AlertRecipient => ({
  cameraId: null,
  minLevel: 'WARNING',
  isActive: true,
  ...p,
});

const recipients: AlertRecipient[] = [
  r({ channel: 'email', destination: 'security@site' }),
  r({ channel: 'sms', destination: '+100', minLevel: 'CRITICAL' }),
  r({ channel: 'push', destination: 'ops-topic' }),
  r({ channel: 'webhook', destination: 'https://hook' }),
  r({ channel: 'email', destination: 'cam2-only@site', cameraId: 'cam-2' }),
  r({ channel: 'email', destination: 'inactive@site', isActive: false }),
  r({ channel: 'email', destination: 'caution@site', minLevel: 'CAUTION' }),
  r({ channel: 'email', destination: 'security@site' }), // duplicate
];

describe('routeAlert (spec 4.4)', () => {
  const cases: Array<{ level: RiskLevel; cameraId: string; list: AlertRecipient[]; channels: string[]; deliveries: string[] }> = [
    { level: 'CRITICAL', cameraId: 'cam-1', list: [], channels: ['dashboard', 'email', 'push', 'webhook', 'sms'], deliveries: [] },
    { level: 'SAFE', cameraId: 'cam-1', list: recipients, channels: [], deliveries: [] },
    { level: 'CAUTION', cameraId: 'cam-1', list: recipients, channels: ['dashboard'], deliveries: [] },
    {
      level: 'WARNING',
      cameraId: 'cam-1',
      list: recipients,
      channels: ['dashboard', 'email'],
      deliveries: ['email:security@site', 'email:caution@site'],
    },
    {
      level: 'WARNING',
      cameraId: 'cam-2',
      list: recipients,
      channels: ['dashboard', 'email'],
      deliveries: ['email:security@site', 'email:cam2-only@site', 'email:caution@site'],
    },
    {
      level: 'CRITICAL',
      cameraId: 'cam-1',
      list: recipients,
      channels: ['dashboard', 'email', 'push', 'webhook', 'sms'],
      deliveries: ['email:security@site', 'sms:+100', 'push:ops-topic', 'webhook:https://hook', 'email:caution@site'],
    },
  ];
  it.each(cases)('$level on $cameraId', ({ level, cameraId, list, channels, deliveries }) => {
    expect(channelsForLevel(level)).toEqual(channels);
    expect(routeAlert(level, cameraId, list).map((d) => `${d.channel}:${d.destination}`)).toEqual(deliveries);
  });

  it('minLevel above the alert level excludes the recipient', () => {
    expect(routeAlert('WARNING', 'cam-1', [r({ channel: 'email', destination: 'boss', minLevel: 'CRITICAL' })])).toEqual([]);
  });
});
