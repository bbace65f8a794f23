import { DestroyRef, Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import type { Subscription } from 'rxjs';
import { toApiError } from '../api/api-error';
import { SettingsApi, type SettingsCategory } from '../api/settings.api';
import { AuthService } from '../auth/auth.service';
import { LiveSocket } from '../live/live-socket.service';
import { type ConsoleSettings, DEFAULT_CONSOLE_SETTINGS, parseConsoleSettings } from './console-settings';

/** Settings changed by another administrator reach an open console within this time. */
export const SETTINGS_POLL_MS = 60_000;

/**
 * The stored settings the console acts on (site name, time zone, default theme, alarm sound, camera defaults), as
 * signals. Loaded once signed in, again after every live reconnect and every SETTINGS_POLL_MS (another admin's
 * change); a save made in this console applies at once through `applySaved`, so nothing needs a page reload.
 */
@Injectable({ providedIn: 'root' })
export class ConsoleSettingsStore {
  private readonly api = inject(SettingsApi);
  private readonly auth = inject(AuthService);
  private readonly live = inject(LiveSocket);
  private readonly _raw = signal<Record<string, Record<string, unknown>>>({});
  private readonly _loaded = signal(false);
  private readonly _error = signal<string | null>(null);
  private readonly started = signal(false);
  private sub: Subscription | null = null;

  readonly settings = computed((): ConsoleSettings => (this._loaded() ? parseConsoleSettings(this._raw()) : DEFAULT_CONSOLE_SETTINGS));
  readonly loaded = this._loaded.asReadonly();
  readonly error = this._error.asReadonly();
  readonly siteName = computed(() => this.settings().siteName);
  readonly timeZone = computed(() => this.settings().timeZone);
  readonly theme = computed(() => this.settings().theme);
  readonly sound = computed(() => this.settings().sound);

  constructor() {
    const destroyRef = inject(DestroyRef);
    effect(() => {
      if (!this.started()) return;
      const loggedIn = this.auth.isLoggedIn();
      this.live.reconnects();
      untracked(() => (loggedIn ? this.reload() : undefined));
    });
    const timer = setInterval(() => {
      if (untracked(this.started) && untracked(this.auth.isLoggedIn)) this.reload();
    }, SETTINGS_POLL_MS);
    destroyRef.onDestroy(() => {
      clearInterval(timer);
      this.sub?.unsubscribe();
    });
  }

  /** Loads now and keeps in step from then on (idempotent). */
  start(): void {
    this.started.set(true);
  }

  reload(): void {
    this.sub?.unsubscribe();
    this.sub = this.api.all().subscribe({
      next: (all) => {
        this._raw.set(all);
        this._loaded.set(true);
        this._error.set(null);
      },
      error: (e: unknown) => this._error.set(toApiError(e).message),
    });
  }

  /** A value the server accepted (PUT answered 200): applies it before the next reload. */
  applySaved(category: SettingsCategory, key: string, value: unknown): void {
    this._raw.update((all) => ({ ...all, [category]: { ...(all[category] ?? {}), [key]: value } }));
    this._loaded.set(true);
  }
}
