import { DestroyRef, computed, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { AlertView, RiskLevel } from '@crowdsafe/contracts';
import { AlertsStore, ConsoleSettingsStore, type ReceivedAlertEvent, type SoundSetting } from '@crowdsafe/web-data-access';
import { Subject } from 'rxjs';
import { CameraDirectory } from '../live/camera-directory.service';
import { AlarmService } from './alarm.service';

/** WebAudio stand-in: records the oscillators started and the peak gain of each beep. */
class FakeAudioContext {
  static instances: FakeAudioContext[] = [];
  state: AudioContextState = 'suspended';
  currentTime = 0;
  destination = {};
  onstatechange: (() => void) | null = null;
  readonly oscillators: { freq: number; type: string }[] = [];
  readonly peaks: number[] = [];
  constructor() {
    FakeAudioContext.instances.push(this);
  }
  resume() {
    this.state = 'running';
    return Promise.resolve();
  }
  close() {
    this.state = 'closed';
    return Promise.resolve();
  }
  createGain() {
    const peaks = this.peaks;
    const node = {
      gain: { setValueAtTime: jest.fn(), exponentialRampToValueAtTime: jest.fn((v: number) => (v > 0.001 ? peaks.push(v) : 0)) },
      connect: (n: unknown) => n ?? node,
      disconnect: jest.fn(),
    };
    return node;
  }
  createOscillator() {
    const osc = { type: '', frequency: { value: 0 }, connect: (n: unknown) => n, start: () => this.oscillators.push({ freq: osc.frequency.value, type: osc.type }), stop: jest.fn() };
    return osc;
  }
}

const alert = (level: RiskLevel, status: AlertView['status'] = 'open'): AlertView => ({ id: `a-${level}`, cameraId: 'cam', level, status }) as AlertView;
const received = (type: string, a: AlertView): ReceivedAlertEvent => ({ event: { type, alert: a, currentLevel: a.level } as never, receivedAt: Date.now() });

describe('AlarmService', () => {
  let alarm: AlarmService;
  const events = new Subject<ReceivedAlertEvent>();
  const unack = signal<AlertView[]>([]);
  const sound = signal<SoundSetting>({ enabled: true, volume: 0.8, snoozeMinutes: 10, repeatCriticalS: 30 });
  let destroy: () => void;

  beforeEach(() => {
    localStorage.clear();
    jest.useFakeTimers({ now: new Date('2026-01-01T12:00:00Z') });
    FakeAudioContext.instances = [];
    (globalThis as { AudioContext?: unknown }).AudioContext = FakeAudioContext;
    sound.set({ enabled: true, volume: 0.8, snoozeMinutes: 10, repeatCriticalS: 30 });
    unack.set([]);
    TestBed.configureTestingModule({
      providers: [
        { provide: AlertsStore, useValue: { events$: events, unacknowledged: unack } },
        { provide: CameraDirectory, useValue: { ensureKnown: jest.fn() } },
        { provide: ConsoleSettingsStore, useValue: { sound: computed(() => sound()) } },
      ],
    });
    alarm = TestBed.inject(AlarmService);
    const callbacks: (() => void)[] = [];
    alarm.start({ onDestroy: (cb: () => void) => callbacks.push(cb) } as unknown as DestroyRef);
    destroy = () => callbacks.forEach((c) => c());
  });
  afterEach(() => {
    destroy();
    jest.useRealTimers();
  });

  const ctx = () => FakeAudioContext.instances[0];
  const unlock = async () => {
    alarm.enableSound();
    await Promise.resolve();
  };

  it('is locked until a gesture and remembers the tone it could not play', async () => {
    expect(alarm.audioState()).toBe('locked');
    events.next(received('opened', alert('WARNING')));
    expect(alarm.missedTone()).toBe('WARNING');
    expect(alarm.tonesPlayed()).toBe(0);
    document.dispatchEvent(new Event('pointerdown'));
    await Promise.resolve();
    expect(alarm.audioState()).toBe('ready');
  });

  it.each([
    ['opened', 'CAUTION', 'open', 1, 440],
    ['escalated', 'CRITICAL', 'open', 4, 880],
    ['opened', 'SAFE', 'open', 0, null],
    ['updated', 'CRITICAL', 'open', 0, null],
    ['opened', 'WARNING', 'acknowledged', 0, null],
  ] as const)('%s %s (%s) plays %d beeps', async (type, level, status, beeps, freq) => {
    await unlock();
    events.next(received(type, alert(level, status)));
    expect(ctx().oscillators).toHaveLength(beeps);
    if (freq) expect(ctx().oscillators[0].freq).toBe(freq);
    expect(alarm.tonesPlayed()).toBe(beeps ? 1 : 0);
  });

  it('alerts.sound.volume sets the loudness; this browser may override it, and go back to the site value', async () => {
    await unlock();
    alarm.play('CAUTION');
    expect(ctx().peaks[0]).toBeCloseTo(0.4 * 0.8);
    sound.update((s) => ({ ...s, volume: 0.5 }));
    alarm.play('CAUTION');
    expect(ctx().peaks[1]).toBeCloseTo(0.2);
    alarm.setVolume(0.25);
    sound.update((s) => ({ ...s, volume: 1 }));
    expect(alarm.volume()).toBe(0.25);
    expect(localStorage.getItem('cs.alarm.volume')).toBe('0.25');
    alarm.useSiteVolume();
    expect(alarm.volume()).toBe(1);
    expect(localStorage.getItem('cs.alarm.volume')).toBeNull();
  });

  it('alerts.sound.enabled = false silences automatic tones (hot); the test sound still plays', async () => {
    await unlock();
    sound.update((s) => ({ ...s, enabled: false }));
    events.next(received('opened', alert('CRITICAL')));
    expect(alarm.tonesPlayed()).toBe(0);
    alarm.play('WARNING');
    expect(alarm.tonesPlayed()).toBe(1);
  });

  it.each([
    [30, 29_000, 0],
    [30, 31_000, 1],
    [10, 31_000, 3],
    [0, 120_000, 0],
  ])('repeatCriticalS %d: an unacknowledged CRITICAL repeats (after %d ms: %d repeats)', async (period, ms, repeats) => {
    sound.update((s) => ({ ...s, repeatCriticalS: period }));
    await unlock();
    const a = alert('CRITICAL');
    unack.set([a]);
    events.next(received('opened', a));
    expect(alarm.tonesPlayed()).toBe(1);
    jest.advanceTimersByTime(ms);
    expect(alarm.tonesPlayed()).toBe(1 + repeats);
  });

  it('a CRITICAL already open at page load sounds at the first check; no repeat once acknowledged', async () => {
    await unlock();
    unack.set([alert('CRITICAL')]);
    jest.advanceTimersByTime(1_000);
    expect(alarm.tonesPlayed()).toBe(1);
    jest.advanceTimersByTime(30_000);
    expect(alarm.tonesPlayed()).toBe(2);
    unack.set([alert('WARNING')]);
    jest.advanceTimersByTime(120_000);
    expect(alarm.tonesPlayed()).toBe(2);
  });

  it('snooze defaults to alerts.sound.snoozeMinutes, is bounded to 5-15 min and silences everything', async () => {
    await unlock();
    sound.update((s) => ({ ...s, snoozeMinutes: 7 }));
    alarm.snooze();
    expect(alarm.snoozedUntil()).toBe(Date.now() + 7 * 60_000);
    alarm.play('CRITICAL');
    expect(alarm.tonesPlayed()).toBe(0);
    alarm.snooze(60);
    expect(alarm.snoozedUntil()).toBe(Date.now() + 15 * 60_000);
    alarm.snooze(1);
    expect(alarm.snoozedUntil()).toBe(Date.now() + 5 * 60_000);
    alarm.unsnooze();
    expect(alarm.snoozedUntil()).toBeNull();
    alarm.play('CRITICAL');
    expect(alarm.tonesPlayed()).toBe(1);
  });

  it('a snooze ends by itself', async () => {
    await unlock();
    alarm.snooze(5);
    jest.advanceTimersByTime(5 * 60_000 + 1000);
    expect(alarm.snoozedUntil()).toBeNull();
  });
});
