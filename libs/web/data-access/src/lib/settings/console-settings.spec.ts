import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { of, throwError } from 'rxjs';
import { ApiError } from '../api/api-error';
import { SettingsApi } from '../api/settings.api';
import { AuthService } from '../auth/auth.service';
import { LiveSocket } from '../live/live-socket.service';
import { DEFAULT_CONSOLE_SETTINGS as D, parseConsoleSettings, timeZoneChoices } from './console-settings';
import { ConsoleSettingsStore, SETTINGS_POLL_MS } from './console-settings.store';

describe('parseConsoleSettings', () => {
  it.each([
    ['nothing stored', {}, D],
    [
      'every field',
      {
        general: { siteName: ' North Stand ', timeZone: 'Europe/London', theme: 'light', language: 'en' },
        alerts: { cooldownS: 60, sound: { enabled: false, volume: 0.25, snoozeMinutes: 15, repeatCriticalS: 0 } },
        system: { defaultTargetFps: 10, defaultResolution: { width: 1920, height: 1080 }, model: {} },
      },
      { siteName: 'North Stand', timeZone: 'Europe/London', theme: 'light', sound: { enabled: false, volume: 0.25, snoozeMinutes: 15, repeatCriticalS: 0 }, defaultTargetFps: 10, defaultResolution: { width: 1920, height: 1080 } },
    ],
    [
      'out of range or mistyped values fall back one by one',
      {
        general: { siteName: '', timeZone: 'Moon/Base', theme: 'pink' },
        alerts: { sound: { enabled: 'yes', volume: 2, snoozeMinutes: 60, repeatCriticalS: -1 } },
        system: { defaultTargetFps: 0, defaultResolution: { width: 'x', height: 5 } },
      },
      { ...D, defaultResolution: { width: 1280, height: null } },
    ],
    ['a non-object category', { general: 'x', alerts: [1], system: null }, D],
  ])('%s', (_what, all, expected) => expect(parseConsoleSettings(all as never)).toEqual(expected));
});

describe('timeZoneChoices', () => {
  it.each([
    ['the browser offers none', () => [], undefined, ['UTC']],
    ['Chromium leaves UTC out', () => ['Europe/London', 'Africa/Abidjan'], undefined, ['UTC', 'Africa/Abidjan', 'Europe/London']],
    ['the stored zone is kept even if the browser lacks it', () => ['Europe/London'], 'Etc/GMT+5', ['UTC', 'Etc/GMT+5', 'Europe/London']],
    ['no duplicates', () => ['UTC', 'UTC', 'Asia/Tokyo'], 'Asia/Tokyo', ['UTC', 'Asia/Tokyo']],
    ['Intl throws', () => { throw new RangeError('x'); }, null, ['UTC']],
  ])('%s', (_w, supported, current, expected) => expect(timeZoneChoices(current as string | undefined, supported)).toEqual(expected));

  it("this runtime's Intl list is used when present", () => {
    const zones = timeZoneChoices();
    expect(zones[0]).toBe('UTC');
    expect(zones.length).toBeGreaterThan(1);
  });
});

describe('ConsoleSettingsStore', () => {
  const all = jest.fn();
  const reconnects = signal(0);
  const isLoggedIn = signal(true);
  let store: ConsoleSettingsStore;

  beforeEach(() => {
    jest.useFakeTimers();
    all.mockReset().mockReturnValue(of({ general: { siteName: 'Arena' } }));
    TestBed.configureTestingModule({
      providers: [
        { provide: SettingsApi, useValue: { all } },
        { provide: LiveSocket, useValue: { reconnects } },
        { provide: AuthService, useValue: { isLoggedIn } },
      ],
    });
    store = TestBed.inject(ConsoleSettingsStore);
  });
  afterEach(() => {
    TestBed.resetTestingModule();
    jest.useRealTimers();
  });

  it('defaults until started; loads once started, after a reconnect and every poll period', () => {
    TestBed.tick();
    expect(store.siteName()).toBe('CrowdSafe');
    expect(store.loaded()).toBe(false);
    jest.advanceTimersByTime(SETTINGS_POLL_MS);
    expect(all).not.toHaveBeenCalled();
    store.start();
    TestBed.tick();
    expect(store.siteName()).toBe('Arena');
    all.mockReturnValue(of({ general: { siteName: 'Stadium' } }));
    reconnects.set(1);
    TestBed.tick();
    expect(store.siteName()).toBe('Stadium');
    all.mockReturnValue(of({ general: { siteName: 'Polled' } }));
    jest.advanceTimersByTime(SETTINGS_POLL_MS);
    expect(store.siteName()).toBe('Polled');
    expect(all).toHaveBeenCalledTimes(3);
  });

  it('applySaved takes effect at once (hot), before any reload', () => {
    store.applySaved('alerts', 'sound', { enabled: false, volume: 0.1, snoozeMinutes: 5, repeatCriticalS: 10 });
    expect(store.sound()).toEqual({ enabled: false, volume: 0.1, snoozeMinutes: 5, repeatCriticalS: 10 });
    store.applySaved('general', 'theme', 'dark');
    expect(store.theme()).toBe('dark');
    expect(store.sound().volume).toBe(0.1);
  });

  it('a failed load keeps the last values and reports the error', () => {
    store.reload();
    all.mockReturnValue(throwError(() => new ApiError(500, 'boom', 'x', null)));
    store.reload();
    expect(store.error()).toBe('boom');
    expect(store.siteName()).toBe('Arena');
  });
});
