import type { AlertLiveEvent } from '@crowdsafe/contracts';
import { notificationOfAlert } from './system-notifications';

function ev(condition: string, type: AlertLiveEvent['type']): AlertLiveEvent {
  return {
    type,
    at: '2026-01-01T00:00:00.000Z',
    currentLevel: 'WARNING',
    channels: ['dashboard'],
    alert: { id: 'a1', cameraId: 'c1', condition, level: 'WARNING', message: `msg ${condition}` } as AlertLiveEvent['alert'],
  };
}

describe('notificationOfAlert', () => {
  it.each<[string, AlertLiveEvent['type'], unknown]>([
    ['surge', 'opened', null],
    ['early_warning', 'opened', null],
    ['camera_offline', 'updated', null],
    ['camera_offline', 'acknowledged', null],
    ['camera_offline', 'opened', { kind: 'camera_offline', level: 'warning', message: 'msg camera_offline', cameraId: 'c1' }],
    ['camera_offline', 'all_clear', { kind: 'camera_offline', level: 'info', message: 'Camera c1 is back online' }],
    ['system_error', 'opened', { kind: 'model_error', level: 'error', message: 'msg system_error' }],
    ['system_error', 'all_clear', { kind: 'model_error', level: 'info', message: 'Pipeline of camera c1 recovered' }],
  ])('%s %s', (condition, type, expected) => {
    const n = notificationOfAlert(ev(condition, type));
    if (expected === null) expect(n).toBeNull();
    else expect(n).toMatchObject({ ...(expected as object), at: '2026-01-01T00:00:00.000Z', details: { alertId: 'a1' } });
  });
});
