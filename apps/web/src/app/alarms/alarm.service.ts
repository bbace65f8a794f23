import { DOCUMENT } from '@angular/common';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import type { RiskLevel } from '@crowdsafe/contracts';
import { AlertsStore, ConsoleSettingsStore } from '@crowdsafe/web-data-access';
import { CameraDirectory } from '../live/camera-directory.service';

/** Snooze choices, minutes (the `alerts.sound.snoozeMinutes` setting is the default one). */
export const SNOOZE_MINUTES = [5, 10, 15] as const;
/** How often the repeat of an unacknowledged CRITICAL alarm is checked (its period is `alerts.sound.repeatCriticalS`). */
export const REPEAT_CHECK_MS = 1_000;

const KEY_VOLUME = 'cs.alarm.volume';
const KEY_SNOOZE = 'cs.alarm.snoozedUntil';

interface ToneSpec {
  freq: number;
  beeps: number;
  beepMs: number;
  gapMs: number;
  type: OscillatorType;
}

/** One recognisable pattern per level: more, higher, faster beeps as the level rises. */
const TONES: Readonly<Record<RiskLevel, ToneSpec | null>> = {
  SAFE: null,
  CAUTION: { freq: 440, beeps: 1, beepMs: 350, gapMs: 0, type: 'sine' },
  WARNING: { freq: 660, beeps: 2, beepMs: 250, gapMs: 150, type: 'triangle' },
  CRITICAL: { freq: 880, beeps: 4, beepMs: 160, gapMs: 90, type: 'square' },
};

export type AudioState = 'locked' | 'ready' | 'playing';

/**
 * Alarm sounds generated with WebAudio (no audio files, no CDN). Browsers only allow sound after a user gesture:
 * until the first click/key press the state is `locked` and the UI says "Click to enable sound"; a tone that was due
 * meanwhile is remembered (`missedTone`). A new or escalated alert plays its level's tone once; an unacknowledged
 * CRITICAL alert repeats until acknowledged or snoozed.
 *
 * The site's `alerts.sound` setting drives it, hot: `enabled` (off = no automatic tones; "test sound" still plays),
 * `volume` (the default; a volume chosen on this browser's slider overrides it, remembered in localStorage),
 * `snoozeMinutes` (the default snooze) and `repeatCriticalS` (the CRITICAL repeat period, 0 = once).
 */
@Injectable({ providedIn: 'root' })
export class AlarmService {
  private readonly doc = inject(DOCUMENT);
  private readonly store = inject(AlertsStore);
  private readonly directory = inject(CameraDirectory);
  private readonly settings = inject(ConsoleSettingsStore);

  private ctx: AudioContext | null = null;
  private readonly _audioState = signal<AudioState>('locked');
  /** This browser's volume; null = the site's `alerts.sound.volume`. */
  private readonly _localVolume = signal<number | null>(readVolume());
  private readonly _snoozedUntil = signal<number | null>(readSnooze());
  private readonly _tones = signal(0);
  private readonly _lastTone = signal<{ level: RiskLevel; at: number } | null>(null);
  private readonly _missedTone = signal<RiskLevel | null>(null);
  private readonly now = signal(Date.now());
  private started = false;
  /** When the last CRITICAL tone was due (played or missed): the repeat counts from it. */
  private lastCriticalAt = 0;

  readonly audioState = this._audioState.asReadonly();
  readonly volume = computed(() => this._localVolume() ?? this.settings.sound().volume);
  readonly localVolume = this._localVolume.asReadonly();
  /** `alerts.sound.enabled`: automatic alarm tones on. */
  readonly enabled = computed(() => this.settings.sound().enabled);
  readonly defaultSnoozeMinutes = computed(() => this.settings.sound().snoozeMinutes);
  readonly repeatCriticalS = computed(() => this.settings.sound().repeatCriticalS);
  readonly snoozedUntil = computed(() => {
    const until = this._snoozedUntil();
    return until !== null && until > this.now() ? until : null;
  });
  /** Tones started since the page loaded (observable by e2e through the banner's data attributes). */
  readonly tonesPlayed = this._tones.asReadonly();
  readonly lastTone = this._lastTone.asReadonly();
  /** A tone that could not sound because audio was locked. */
  readonly missedTone = this._missedTone.asReadonly();

  /** Starts listening to alerts and for the first user gesture (idempotent). */
  start(destroyRef: DestroyRef): void {
    if (this.started) return;
    this.started = true;
    const unlock = () => this.enableSound();
    const opts: AddEventListenerOptions = { capture: true, passive: true };
    this.doc.addEventListener('pointerdown', unlock, opts);
    this.doc.addEventListener('keydown', unlock, opts);

    const sub = this.store.events$.subscribe(({ event }) => {
      this.directory.ensureKnown(event.alert.cameraId);
      const level = event.currentLevel ?? event.alert.level;
      if ((event.type === 'opened' || event.type === 'escalated') && event.alert.status === 'open') this.alarm(level);
    });
    const repeat = setInterval(() => this.checkRepeat(), REPEAT_CHECK_MS);
    const clock = setInterval(() => this.now.set(Date.now()), 5_000);

    destroyRef.onDestroy(() => {
      this.doc.removeEventListener('pointerdown', unlock, opts);
      this.doc.removeEventListener('keydown', unlock, opts);
      sub.unsubscribe();
      clearInterval(repeat);
      clearInterval(clock);
      void this.ctx?.close();
      this.ctx = null;
      this.started = false;
    });
  }

  /** Must run inside a user gesture (click/key handler) the first time. */
  enableSound(): void {
    try {
      if (!this.ctx) {
        const Ctor = globalThis.AudioContext ?? (globalThis as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
        if (!Ctor) return;
        this.ctx = new Ctor();
        this.ctx.onstatechange = () => this.syncState();
      }
      if (this.ctx.state === 'suspended') void this.ctx.resume().then(() => this.syncState(), () => this.syncState());
      this.syncState();
    } catch {
      this._audioState.set('locked');
    }
  }

  /** This browser's volume (overrides the site's). */
  setVolume(v: number): void {
    const vol = Math.min(1, Math.max(0, Number.isFinite(v) ? v : this.settings.sound().volume));
    this._localVolume.set(vol);
    write(KEY_VOLUME, String(vol));
  }

  /** Back to the site's `alerts.sound.volume`. */
  useSiteVolume(): void {
    this._localVolume.set(null);
    write(KEY_VOLUME, null);
  }

  /** An automatic alarm (alert opened/escalated, CRITICAL repeat): silent while `alerts.sound.enabled` is off. */
  alarm(level: RiskLevel, repeat = false): void {
    if (level === 'CRITICAL') this.lastCriticalAt = Date.now();
    if (!this.enabled()) return;
    this.play(level, repeat);
  }

  /** Repeats the CRITICAL tone every `repeatCriticalS` while a CRITICAL alert is unacknowledged (0 = never). */
  checkRepeat(now = Date.now()): void {
    this.now.set(now);
    const periodS = this.repeatCriticalS();
    if (periodS <= 0 || !this.store.unacknowledged().some((a) => a.level === 'CRITICAL')) return;
    if (now - this.lastCriticalAt >= periodS * 1000) this.alarm('CRITICAL', true);
  }

  /** Silences the alarm for `minutes` (default: the site's `alerts.sound.snoozeMinutes`), 5-15. */
  snooze(minutes: number = this.defaultSnoozeMinutes()): void {
    const m = Math.min(15, Math.max(5, Math.round(minutes)));
    const until = Date.now() + m * 60_000;
    this.now.set(Date.now());
    this._snoozedUntil.set(until);
    write(KEY_SNOOZE, String(until));
  }

  unsnooze(): void {
    this._snoozedUntil.set(null);
    write(KEY_SNOOZE, null);
  }

  /** Plays the level's tone now (also the "test sound" button). */
  play(level: RiskLevel, repeat = false): void {
    const spec = TONES[level];
    if (!spec) return;
    this.now.set(Date.now());
    if (this.snoozedUntil()) return;
    // A repeat while audio is locked is not news: the first missed tone already says so.
    if (repeat && this._missedTone() === level && this.ctx?.state !== 'running') return;
    const ctx = this.ctx;
    if (!ctx || ctx.state !== 'running') {
      this._missedTone.set(level);
      return;
    }
    this._missedTone.set(null);
    const gain = ctx.createGain();
    gain.connect(ctx.destination);
    const volume = this.volume();
    let t = ctx.currentTime + 0.02;
    for (let i = 0; i < spec.beeps; i++) {
      const osc = ctx.createOscillator();
      osc.type = spec.type;
      osc.frequency.value = spec.freq;
      const g = ctx.createGain();
      g.gain.setValueAtTime(0.0001, t);
      g.gain.exponentialRampToValueAtTime(Math.max(0.0002, 0.4 * volume), t + 0.02);
      g.gain.exponentialRampToValueAtTime(0.0001, t + spec.beepMs / 1000);
      osc.connect(g).connect(gain);
      osc.start(t);
      osc.stop(t + spec.beepMs / 1000 + 0.02);
      t += (spec.beepMs + spec.gapMs) / 1000;
    }
    const totalMs = spec.beeps * (spec.beepMs + spec.gapMs) + 50;
    this._audioState.set('playing');
    this._tones.update((n) => n + 1);
    this._lastTone.set({ level, at: Date.now() });
    setTimeout(() => {
      gain.disconnect();
      this.syncState();
    }, totalMs);
  }

  private syncState(): void {
    const s = this.ctx?.state;
    if (s !== 'running') this._audioState.set('locked');
    else if (this._audioState() !== 'playing' || !this._lastTone() || Date.now() - (this._lastTone()?.at ?? 0) > 2000) {
      this._audioState.set('ready');
    }
  }
}

function readNumber(key: string, dflt: number, min: number, max: number): number {
  try {
    const v = Number(localStorage.getItem(key));
    return localStorage.getItem(key) !== null && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : dflt;
  } catch {
    return dflt;
  }
}

function readVolume(): number | null {
  try {
    return localStorage.getItem(KEY_VOLUME) === null ? null : readNumber(KEY_VOLUME, 0.8, 0, 1);
  } catch {
    return null;
  }
}

function readSnooze(): number | null {
  const v = readNumber(KEY_SNOOZE, 0, 0, Number.MAX_SAFE_INTEGER);
  return v > Date.now() ? v : null;
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* storage disabled */
  }
}
