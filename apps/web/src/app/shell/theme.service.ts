import { DOCUMENT } from '@angular/common';
import { DestroyRef, Injectable, computed, effect, inject, signal } from '@angular/core';
import { ConsoleSettingsStore, type ThemeSetting } from '@crowdsafe/web-data-access';

export type Theme = 'light' | 'dark';
const KEY = 'cs.theme';

/**
 * Light/dark theme via Bootstrap's `data-bs-theme` on <html>. The site's default is the `general.theme` setting
 * (light, dark or auto = the operating system's preference, followed live); the toggle is this browser's own choice,
 * remembered in localStorage, and wins until `useSiteDefault()`.
 */
@Injectable({ providedIn: 'root' })
export class ThemeService {
  private readonly doc = inject(DOCUMENT);
  private readonly settings = inject(ConsoleSettingsStore);
  /** This browser's choice; null = follow the site default. */
  readonly localChoice = signal<Theme | null>(readTheme());
  private readonly systemDark = signal(prefersDark(this.doc));
  readonly theme = computed((): Theme => this.localChoice() ?? resolveTheme(this.settings.theme(), this.systemDark()));

  constructor() {
    const mq = this.doc.defaultView?.matchMedia?.('(prefers-color-scheme: dark)');
    const onChange = (e: MediaQueryListEvent) => this.systemDark.set(e.matches);
    mq?.addEventListener?.('change', onChange);
    inject(DestroyRef).onDestroy(() => mq?.removeEventListener?.('change', onChange));
    effect(() => this.write(this.theme()));
  }

  apply(): void {
    this.write(this.theme());
  }

  toggle(): void {
    this.set(this.theme() === 'dark' ? 'light' : 'dark');
  }

  set(theme: Theme): void {
    this.localChoice.set(theme);
    store(theme);
    this.apply();
  }

  /** Forgets this browser's choice: the site default applies again. */
  useSiteDefault(): void {
    this.localChoice.set(null);
    store(null);
    this.apply();
  }

  private write(t: Theme): void {
    this.doc.documentElement.setAttribute('data-bs-theme', t);
    this.doc.querySelector('meta[name="color-scheme"]')?.setAttribute('content', t);
  }
}

/** `auto` follows the operating system. */
export function resolveTheme(setting: ThemeSetting, systemDark: boolean): Theme {
  return setting === 'auto' ? (systemDark ? 'dark' : 'light') : setting;
}

function prefersDark(doc: Document): boolean {
  try {
    return doc.defaultView?.matchMedia?.('(prefers-color-scheme: dark)').matches ?? true;
  } catch {
    return true;
  }
}

function readTheme(): Theme | null {
  try {
    const v = localStorage.getItem(KEY);
    if (v === 'light' || v === 'dark') return v;
  } catch {
    /* ignore */
  }
  return null;
}

function store(theme: Theme | null): void {
  try {
    if (theme) localStorage.setItem(KEY, theme);
    else localStorage.removeItem(KEY);
  } catch {
    /* storage disabled: still switch for this page */
  }
}
